using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// Adds <c>XᵀX</c> to a symmetric sum by blocks of columns, computing only the blocks on and above the diagonal and
/// mirroring the rest once at the end: about half the float64 products of one full <c>XᵀX</c>, which at a 14336-wide
/// MLP is most of a layer's statistics time. The sums stay exactly symmetric.
/// </summary>
internal static class SymmetricGram
{
    /// <summary>Columns per block: wide enough that each block product runs at the matrix-product rate, narrow enough that the skipped lower blocks are most of the saving.</summary>
    public const int DefaultBlockSize = 1024;

    /// <summary>Adds the upper block triangle of <c>rowsᵀ rows</c> to <paramref name="sum"/>; the lower blocks are left for <see cref="Mirror"/>.</summary>
    /// <param name="sum">The <c>[D, D]</c> float64 sum, added to in place.</param>
    /// <param name="rows">The <c>[N, D]</c> float64 activations, one token per row.</param>
    /// <param name="blockSize">Columns per block.</param>
    public static void AddUpper(torch.Tensor sum, torch.Tensor rows, int blockSize = DefaultBlockSize)
    {
        var width = rows.shape[1];
        for (long first = 0; first < width; first += blockSize)
        {
            var size = Math.Min(blockSize, width - first);
            using var left = rows.narrow(1, first, size).t();
            using var rest = rows.narrow(1, first, width - first);
            using var target = sum.narrow(0, first, size).narrow(1, first, width - first);
            target.addmm_(left, rest);
        }
    }

    /// <summary>Copies each block above the diagonal into its transposed place below it, after the last <see cref="AddUpper"/>.</summary>
    /// <param name="sum">The <c>[D, D]</c> sum, completed in place.</param>
    /// <param name="blockSize">The columns per block the sums were added with.</param>
    public static void Mirror(torch.Tensor sum, int blockSize = DefaultBlockSize)
    {
        var width = sum.shape[0];
        using var one = 1.ToScalar();
        for (long first = 0; first < width; first += blockSize)
        {
            var size = Math.Min(blockSize, width - first);
            var after = first + size;

            // A diagonal block is computed whole, but a product's kernel may sum its two triangles in different orders.
            using (var scope = torch.NewDisposeScope())
            {
                var diagonal = sum.narrow(0, first, size).narrow(1, first, size);
                diagonal.copy_(diagonal.triu().add(diagonal.triu(1).t(), one));
            }

            if (after >= width)
            {
                break;
            }

            // Below the diagonal block, the transpose of the row band to its right.
            using var upper = sum.narrow(0, first, size).narrow(1, after, width - after);
            using var lower = sum.narrow(0, after, width - after).narrow(1, first, size);
            lower.copy_(upper.t());
        }
    }
}
