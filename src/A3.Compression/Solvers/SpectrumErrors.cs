namespace A3.Compression.Solvers;

/// <summary>Relative truncation error of a set of singular spectra, shared by the analytical solvers.</summary>
internal static class SpectrumErrors
{
    /// <summary>
    /// Returns <c>Σ_spectra Σ_{i≥rank} σ_i² / Σ_spectra Σ_i σ_i²</c> (0 when all are 0).
    /// </summary>
    public static double RelativeDiscardedEnergy(double[][] singularValues, int rank)
    {
        double discarded = 0, total = 0;
        foreach (var spectrum in singularValues)
        {
            for (var i = 0; i < spectrum.Length; i++)
            {
                var energy = spectrum[i] * spectrum[i];
                total += energy;
                if (i >= rank)
                {
                    discarded += energy;
                }
            }
        }

        return total > 0 ? discarded / total : 0;
    }
}
