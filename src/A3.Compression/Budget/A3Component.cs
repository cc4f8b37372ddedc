namespace A3.Compression.Budget;

/// <summary>The three functional components A3 shrinks in every layer.</summary>
public enum A3Component
{
    /// <summary>Query/key head dimension, in RoPE pairs.</summary>
    Qk,

    /// <summary>Value/output head dimension.</summary>
    Ov,

    /// <summary>MLP intermediate size.</summary>
    Mlp,
}
