namespace A3.Compression.Solvers;

/// <summary>How <see cref="MlpCur"/> chooses which intermediate neurons of an MLP to keep.</summary>
public enum MlpSelector
{
    /// <summary>
    /// Top-k by the importance <c>E[h_i²]·||W_d[:,i]||²</c> (HF layout: column i of
    /// <c>down_proj.weight</c> holds neuron i's output weights). Ignores redundancy between neurons.
    /// </summary>
    Importance,

    /// <summary>
    /// Greedy pivoted Cholesky on <c>D C D</c> with <c>D = diag(||W_d[:,i]||)</c>: each step keeps
    /// the neuron with the largest residual diagonal (ties to the lower index), so a neuron that a
    /// kept one already explains is not kept again.
    /// </summary>
    PivotedCholesky,
}
