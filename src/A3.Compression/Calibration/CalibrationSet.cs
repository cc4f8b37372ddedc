using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Calibration;

/// <summary>The calibration windows: token id sequences, all of the same length.</summary>
public sealed class CalibrationSet
{
    private readonly int[][] sequences;

    /// <summary>Initializes a new instance over copies of <paramref name="sequences"/>.</summary>
    /// <exception cref="ArgumentException">There are no sequences, or they differ in length or are empty.</exception>
    public CalibrationSet(IEnumerable<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        this.sequences = sequences.Select(sequence => (int[])sequence.Clone()).ToArray();
        if (this.sequences.Length == 0 || this.sequences[0].Length == 0 || this.sequences.Any(s => s.Length != this.sequences[0].Length))
        {
            throw new ArgumentException("A calibration set needs at least one non-empty sequence, and all sequences must have the same length.", nameof(sequences));
        }
    }

    /// <summary>Gets what the windows were drawn from, when a <see cref="CalibrationSetBuilder"/> built the set.</summary>
    public CalibrationSource? Source { get; init; }

    /// <summary>Gets the selection windows drawn with these windows (<see cref="CalibrationOptions.SelectionSamples"/>), sharing no token with them; <see langword="null"/> when none were asked for.</summary>
    public CalibrationSet? Selection { get; init; }

    /// <summary>Gets the number of sequences.</summary>
    public int Count => sequences.Length;

    /// <summary>Gets the length of every sequence.</summary>
    public int SequenceLength => sequences[0].Length;

    /// <summary>Gets the total number of tokens, <c>Count × SequenceLength</c>.</summary>
    public long Tokens => (long)Count * SequenceLength;

    /// <summary>Gets the token ids of sequence <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> this[int index] => sequences[index];

    /// <summary>Returns a copy of the sequences.</summary>
    public int[][] ToArrays() => sequences.Select(sequence => (int[])sequence.Clone()).ToArray();

    /// <summary>Returns sequences <paramref name="start"/> … <paramref name="start"/>+<paramref name="count"/>−1 as an int64 <c>[count, L]</c> tensor on <paramref name="device"/>.</summary>
    public torch.Tensor ToTensor(torch.Device device, int start = 0, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        var rows = count ?? (Count - start);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + rows, Count);
        var flat = new long[(long)rows * SequenceLength];
        for (var row = 0; row < rows; row++)
        {
            for (var t = 0; t < SequenceLength; t++)
            {
                flat[((long)row * SequenceLength) + t] = sequences[start + row][t];
            }
        }

        return torch.tensor(flat, [rows, SequenceLength], torch.int64, device);
    }

    /// <summary>Throws when the windows are longer than <paramref name="config"/>'s context: statistics beyond it describe no input the model is made for, and its attention would not fit in memory.</summary>
    /// <param name="config">The model to calibrate.</param>
    /// <exception cref="InvalidSettingException">The windows are longer than the model context.</exception>
    public void EnsureFits(ModelConfig config) => EnsureFits(SequenceLength, config);

    /// <summary>Throws when windows of <paramref name="sequenceLength"/> tokens would be longer than <paramref name="config"/>'s context; the pre-flight asks before it reads the data.</summary>
    internal static void EnsureFits(int sequenceLength, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (sequenceLength > config.MaxPositionEmbeddings)
        {
            throw new InvalidSettingException(RecipeKeys.CalibrationSequenceLength, $"({sequenceLength}) is more than the model context {config.MaxPositionEmbeddings}");
        }
    }
}
