namespace A3.Sdk;

/// <summary>A progress line the compressor printed: <c>a3: &lt;stage&gt; &lt;done&gt;/&lt;total&gt; (…s, ETA …s)</c>.</summary>
internal sealed class CompressorProgress
{
    /// <summary>Initializes a new instance of the <see cref="CompressorProgress"/> class.</summary>
    public CompressorProgress(string stage, int completed, int total, double elapsedSeconds, string text)
    {
        Stage = stage;
        Completed = completed;
        Total = total;
        ElapsedSeconds = elapsedSeconds;
        Text = text;
    }

    /// <summary>Gets what is being done, for example <c>layer 3: solve</c> or <c>eval</c>.</summary>
    public string Stage { get; }

    /// <summary>Gets the units done so far.</summary>
    public int Completed { get; }

    /// <summary>Gets the units in all.</summary>
    public int Total { get; }

    /// <summary>Gets the seconds since the stage's operation started, on the compressor's clock.</summary>
    public double ElapsedSeconds { get; }

    /// <summary>Gets the line without its <c>a3: </c> prefix.</summary>
    public string Text { get; }
}
