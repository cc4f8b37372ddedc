namespace A3.Compression.Budget;

/// <summary>An error curve stored as one value per kept size <c>0..n</c>.</summary>
/// <param name="Errors"><c>Errors[k]</c> is the relative error when <c>k</c> units are kept.</param>
internal sealed record TabulatedErrorCurve(IReadOnlyList<double> Errors) : IErrorCurve
{
    /// <inheritdoc />
    public double RelativeError(int kept) => Errors[Math.Clamp(kept, 0, Errors.Count - 1)];
}
