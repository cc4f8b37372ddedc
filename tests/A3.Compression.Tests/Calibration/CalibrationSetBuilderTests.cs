using System.Buffers.Binary;
using A3.Recipes;
using A3.Runtime;
using A3.Compression.Calibration;
using A3.Runtime.Tests.Evaluation;

namespace A3.Compression.Tests.Calibration;

public sealed class CalibrationSetBuilderTests : IDisposable
{
    private const string Separator = "<|endoftext|>";
    private readonly string folder = Directory.CreateTempSubdirectory("a3-calibration-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Same_options_give_identical_windows_and_another_seed_gives_others()
    {
        var path = Documents(10);
        var options = new CalibrationOptions { Samples = 20, SequenceLength = 6, Seed = 42 };

        var first = CalibrationSetBuilder.Build(path, new CharacterTokenizer(), options).ToArrays();
        var second = CalibrationSetBuilder.Build(path, new CharacterTokenizer(), options).ToArrays();
        var reseeded = CalibrationSetBuilder.Build(path, new CharacterTokenizer(), options with { Seed = 43 }).ToArrays();

        Assert.Equal(20, first.Length);
        Assert.All(first, window => Assert.Equal(6, window.Length));
        Assert.Equal(first, second);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void Window_starts_are_the_documented_SplitMix64_draws()
    {
        // Pins the scheme: a change here changes every calibration ever run with a given seed.
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.Next());
        Assert.Equal(0x06C45D188009454FUL, random.Next());
    }

    [Fact]
    public void Documents_outside_skip_and_take_never_reach_a_window()
    {
        // Document i is 4+i copies of letter i; CharacterTokenizer maps 'a'+i to id 13+i, BOS is 1.
        var path = Documents(10);
        var options = new CalibrationOptions { Skip = 3, Take = 4, Samples = 200, SequenceLength = 5, Seed = 7 };

        var windows = CalibrationSetBuilder.Build(path, new CharacterTokenizer(), options).ToArrays();

        var seen = windows.SelectMany(window => window).ToHashSet();
        int[] allowed = [1, 16, 17, 18, 19];
        Assert.Subset(allowed.ToHashSet(), seen);
        Assert.Superset(allowed.ToHashSet(), seen);
        Assert.All(windows, window => Assert.Equal(5, window.Length));
    }

    [Fact]
    public void Each_document_starts_with_BOS_in_the_stream()
    {
        // With windows as long as the whole stream, the only window is the stream itself.
        var path = Documents(3);
        var options = new CalibrationOptions { Samples = 2, SequenceLength = 1 + 4 + 1 + 5 + 1 + 6 };

        var windows = CalibrationSetBuilder.Build(path, new CharacterTokenizer(), options).ToArrays();

        int[] expected = [1, 13, 13, 13, 13, 1, 14, 14, 14, 14, 14, 1, 15, 15, 15, 15, 15, 15];
        Assert.Equal(expected, windows[0]);
        Assert.Equal(expected, windows[1]);
    }

    [Fact]
    public void Documents_of_a_model_without_bos_follow_each_other_with_nothing_between()
    {
        var path = Documents(3);
        var options = new CalibrationOptions { Samples = 1, SequenceLength = 4 + 5 + 6 };

        var windows = CalibrationSetBuilder.Build(path, new CharacterTokenizer(hasBos: false), options).ToArrays();

        int[] expected = [13, 13, 13, 13, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15];
        Assert.Equal(expected, Assert.Single(windows));
    }

    [Fact]
    public void The_set_records_the_documents_or_blocks_it_was_drawn_from()
    {
        // Documents 3..6 are 7, 8, 9 and 10 letters, each after a BOS.
        var documents = CalibrationSetBuilder.Build(Documents(10), new CharacterTokenizer(), new CalibrationOptions { Skip = 3, Take = 4, Samples = 2, SequenceLength = 5 });
        var blocks = CalibrationSetBuilder.Build(
            TokenFile(Enumerable.Range(1000, 100).ToArray(), 2),
            new IdTokenizer(70000),
            new CalibrationOptions { Format = RecipeCalibrationFormat.Tokens, Skip = 2, Take = 3, Samples = 2, SequenceLength = 10 });

        Assert.Equal(new CalibrationSource(4, "documents", 4 + 7 + 8 + 9 + 10), documents.Source);
        Assert.Equal(new CalibrationSource(3, "blocks", 30), blocks.Source);
    }

    [Fact]
    public void Text_is_encoded_with_normalised_line_endings()
    {
        var path = Path.Combine(folder, "text.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("xyz\r\n", 20)));
        var tokenizer = new CharacterTokenizer();

        var windows = CalibrationSetBuilder.Build(path, tokenizer, new CalibrationOptions { Format = RecipeCalibrationFormat.Text, Samples = 30, SequenceLength = 8 }).ToArrays();

        var carriageReturn = tokenizer.Encode("\r")[0];
        var newline = tokenizer.Encode("\n")[0];
        Assert.DoesNotContain(windows.SelectMany(window => window), id => id == carriageReturn);
        Assert.Contains(windows.SelectMany(window => window), id => id == newline);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Token_files_are_read_little_endian_and_skip_take_select_aligned_blocks(int width)
    {
        // Token t has id 1000 + t, so a window's ids reveal where it was cut.
        var path = TokenFile(Enumerable.Range(1000, 100).ToArray(), width);
        var options = new CalibrationOptions { Format = RecipeCalibrationFormat.Tokens, TokenWidth = width, Skip = 2, Take = 3, Samples = 100, SequenceLength = 10, Seed = 3 };

        var windows = CalibrationSetBuilder.Build(path, new IdTokenizer(70000), options).ToArrays();

        foreach (var window in windows)
        {
            Assert.Equal(Enumerable.Range(window[0], 10), window);
            Assert.InRange(window[0], 1020, 1040);
        }

        Assert.Contains(windows, window => window[0] == 1020);
        Assert.Contains(windows, window => window[0] == 1040);
    }

    [Fact]
    public void Too_few_tokens_for_one_window_is_an_error_naming_the_file()
    {
        var path = Documents(2);

        var error = Assert.Throws<InvalidSettingException>(() =>
            CalibrationSetBuilder.Build(path, new CharacterTokenizer(), new CalibrationOptions { SequenceLength = 100, Samples = 1 }));

        Assert.Equal(A3ErrorCodes.InvalidData, error.Code);
        Assert.Equal("calibration.sequence_length", error.Setting);
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.ToDiagnosticString());
    }

    [Fact]
    public void Skipping_every_document_is_an_error_naming_the_file()
    {
        var path = Documents(2);

        var error = Assert.Throws<InvalidSettingException>(() =>
            CalibrationSetBuilder.Build(path, new CharacterTokenizer(), new CalibrationOptions { Skip = 2, SequenceLength = 2, Samples = 1 }));

        Assert.Equal(A3ErrorCodes.InvalidData, error.Code);
        Assert.Equal("calibration.skip", error.Setting);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Token_file_errors_name_the_file()
    {
        var ragged = Path.Combine(folder, "ragged.bin");
        File.WriteAllBytes(ragged, new byte[7]);
        var outOfVocabulary = TokenFile([5, 6, 40, 7], 2);
        var options = new CalibrationOptions { Format = RecipeCalibrationFormat.Tokens, SequenceLength = 2, Samples = 1 };

        var raggedError = Assert.Throws<A3InputException>(() => CalibrationSetBuilder.Build(ragged, new IdTokenizer(32), options));
        var vocabularyError = Assert.Throws<A3InputException>(() => CalibrationSetBuilder.Build(outOfVocabulary, new IdTokenizer(32), options));
        var shortError = Assert.Throws<InvalidSettingException>(() => CalibrationSetBuilder.Build(outOfVocabulary, new IdTokenizer(64), options with { SequenceLength = 5 }));

        Assert.Equal("calibration.sequence_length", shortError.Setting);
        Assert.All(new[] { (raggedError, ragged), (vocabularyError, outOfVocabulary), ((A3InputException)shortError, outOfVocabulary) }, pair =>
        {
            Assert.Equal(A3ErrorCodes.InvalidData, pair.Item1.Code);
            Assert.Equal(pair.Item2, pair.Item1.FilePath);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    public void Selection_windows_share_no_token_with_the_calibration_windows_and_leave_them_as_they_were(long seed)
    {
        // Every id is its position in the stream, so a window's ids say which positions it covers.
        var path = TokenFile(Enumerable.Range(0, 4000).ToArray(), 2);
        var options = new CalibrationOptions { Format = RecipeCalibrationFormat.Tokens, Samples = 12, SequenceLength = 50, Seed = seed };

        var plain = CalibrationSetBuilder.Build(path, new IdTokenizer(65536), options);
        var withSelection = CalibrationSetBuilder.Build(path, new IdTokenizer(65536), options with { SelectionSamples = 9 });

        Assert.Null(plain.Selection);
        Assert.Equal(plain.ToArrays(), withSelection.ToArrays());
        var selection = withSelection.Selection!.ToArrays();
        Assert.Equal(9, selection.Length);
        Assert.All(selection, window => Assert.Equal(50, window.Length));
        Assert.All(selection, window => Assert.Equal(0, window[0] % 50));
        Assert.Empty(selection.SelectMany(window => window).Intersect(withSelection.ToArrays().SelectMany(window => window)));
        Assert.Equal(selection.Length, selection.Select(window => window[0]).Distinct().Count());
        Assert.Equal(selection, CalibrationSetBuilder.Build(path, new IdTokenizer(65536), options with { SelectionSamples = 9 }).Selection!.ToArrays());
    }

    [Fact]
    public void Asking_for_more_selection_windows_than_the_data_holds_apart_names_the_setting()
    {
        var path = TokenFile(Enumerable.Range(0, 400).ToArray(), 2);
        var options = new CalibrationOptions { Format = RecipeCalibrationFormat.Tokens, Samples = 6, SequenceLength = 50, SelectionSamples = 8 };

        var error = Assert.Throws<InvalidSettingException>(() => CalibrationSetBuilder.Build(path, new IdTokenizer(65536), options));

        Assert.Equal(RecipeKeys.CalibrationSelectionSamples, error.Setting);
        Assert.Equal(A3ErrorCodes.InvalidData, error.Code);
    }

    [Fact]
    public void Missing_file_and_bad_options_are_reported()
    {
        var missing = Path.Combine(folder, "missing.txt");

        Assert.Equal(A3ErrorCodes.FileNotFound, Assert.Throws<A3InputException>(() => CalibrationSetBuilder.Build(missing, new CharacterTokenizer(), new CalibrationOptions())).Code);
        Assert.Equal("calibration.token_width", Assert.Throws<InvalidSettingException>(() => CalibrationSetBuilder.Build(Documents(2), new CharacterTokenizer(), new CalibrationOptions { TokenWidth = 3 })).Setting);
        Assert.Equal("calibration.samples", Assert.Throws<InvalidSettingException>(() => CalibrationSetBuilder.Build(Documents(2), new CharacterTokenizer(), new CalibrationOptions { Samples = 0 })).Setting);
    }

    [SkippableFact]
    public void TinyStories_documents_give_full_windows_with_BOS()
    {
        var path = A3.Tests.Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        using var checkpoint = A3.Runtime.Model.ModelCheckpoint.Open(A3.Tests.Fixtures.Require("hf/stories260K-llama"));

        var set = CalibrationSetBuilder.Build(path, checkpoint.Tokenizer, new CalibrationOptions { Samples = 16, SequenceLength = 256, Take = 500 });

        Assert.Equal(16, set.Count);
        Assert.Equal(256, set.SequenceLength);
        Assert.Contains(set.ToArrays().SelectMany(window => window), id => id == checkpoint.Tokenizer.BosId);
    }

    private string Documents(int count)
    {
        var path = Path.Combine(folder, $"documents-{count}.txt");
        File.WriteAllText(path, string.Join($"\n{Separator}\n", Enumerable.Range(0, count).Select(i => new string((char)('a' + i), 4 + i))));
        return path;
    }

    private string TokenFile(int[] ids, int width)
    {
        var path = Path.Combine(folder, $"tokens-{width}-{ids.Length}.bin");
        var bytes = new byte[ids.Length * width];
        for (var i = 0; i < ids.Length; i++)
        {
            if (width == 2)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)ids[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), (uint)ids[i]);
            }
        }

        File.WriteAllBytes(path, bytes);
        return path;
    }
}
