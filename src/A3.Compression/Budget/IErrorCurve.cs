namespace A3.Compression.Budget;

/// <summary>The relative functional error of one component of one layer as a function of its kept size.</summary>
internal interface IErrorCurve
{
    /// <summary>Returns the relative error (discarded energy / total energy) when <paramref name="kept"/> units are kept.</summary>
    double RelativeError(int kept);
}
