namespace A3.Recipes.Tests;

public sealed class RecipeParserTests : IDisposable
{
    private readonly TempRecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ValidRecipeParsesWithDefaultsAndNoDiagnostics()
    {
        var result = folder.Parse(TempRecipeFolder.Valid);

        Assert.Empty(result.Diagnostics);
        var recipe = Assert.IsType<Recipe>(result.Recipe);
        Assert.Equal("tiny", recipe.Name);
        Assert.Equal(500, recipe.Calibration.Take);
        Assert.Equal(128, recipe.Calibration.Samples);
        Assert.Equal(RecipeCalibrationFormat.Documents, recipe.Calibration.Format);
        Assert.Equal(0.2, recipe.Compression.Budget);
        Assert.Equal(RecipeMethod.A3, recipe.Compression.Method);
        Assert.Null(recipe.Compression.Allocation);
        Assert.Equal(CompressionSection.DefaultAllocation, recipe.Compression.AllocationOrDefault());
        Assert.True(recipe.Compression.Sequential);
        Assert.Equal("auto", recipe.Device);
        Assert.Equal(RecipeOutputDtype.Source, recipe.Output.Dtype);
        Assert.Null(recipe.Evaluation);
    }

    [Fact]
    public void ThreeMistakesAreAllReportedWithLineAndColumn()
    {
        const string yaml = """
            version: 1
            name: tiny
            model: ../models/tiny
            calibration:
              data: ../data/train.txt
              sampels: 64
            compression:
              qk: 1.5
              ov: 0.1
            device: gpu
            """;
        var result = folder.Parse(yaml);

        Assert.Null(result.Recipe);
        Assert.Equal(
            [(RecipeErrorCodes.UnknownKey, 6, 3), (RecipeErrorCodes.OutOfRange, 8, 7), (RecipeErrorCodes.InvalidValue, 10, 9)],
            result.Diagnostics.Select(d => (d.Code, d.Line, d.Column)));
    }

    [Theory]
    [InlineData("my model")]
    [InlineData("../escape")]
    [InlineData("-leading-dash")]
    [InlineData("caf\u00e9")]
    public void NamesThatCannotNameAFolderAndAClassAreRejectedAtTheirValue(string name)
    {
        var result = RecipeParser.Parse($"version: 1\nname: \"{name}\"\n", "r.a3.yaml", checkFiles: false);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == RecipeErrorCodes.InvalidValue);
        Assert.Equal((2, 7), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void DefaultOutputPathIsTheNameUnderA3()
    {
        var recipe = Assert.IsType<Recipe>(folder.Parse(TempRecipeFolder.Valid).Recipe);

        Assert.Equal("a3/tiny", recipe.DefaultOutputPath);
    }

    [Fact]
    public void DiagnosticsUseMsBuildCanonicalFormat()
    {
        var result = RecipeParser.Parse("version: 1\nnmae: x\n", "path/recipe.a3.yaml", checkFiles: false);

        Assert.Contains("path/recipe.a3.yaml(2,1): error A3100: unknown key 'nmae'; did you mean 'name'?", result.Diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("sequence-length", "sequence_length")]
    [InlineData("sampels", "samples")]
    [InlineData("seq", "sequence_length")]
    [InlineData("tokn_width", "token_width")]
    public void UnknownKeysSuggestTheNearestKnownOne(string typo, string expected)
    {
        var result = folder.Parse(TempRecipeFolder.Valid.Replace("  take: 500", $"  {typo}: 500"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(RecipeErrorCodes.UnknownKey, diagnostic.Code);
        Assert.EndsWith($"did you mean '{expected}'?", diagnostic.Message);
    }

    [Fact]
    public void UnknownKeyWithNothingCloseListsTheKnownKeys()
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid + "\nzzzzzz: 1").Diagnostics);

        Assert.Equal(RecipeErrorCodes.UnknownKey, diagnostic.Code);
        Assert.Contains("known keys: version, name, model", diagnostic.Message);
    }

    [Theory]
    [InlineData("  take: \"500\"", "'calibration.take' expects an integer, found the string '500'")]
    [InlineData("  take: 0.5", "'calibration.take' expects an integer, found the number 0.5")]
    [InlineData("  take: [1, 2]", "'calibration.take' expects an integer, found a list")]
    public void WrongTypesSayWhatWasExpectedAndFound(string line, string message)
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid.Replace("  take: 500", line)).Diagnostics);

        Assert.Equal(RecipeErrorCodes.WrongType, diagnostic.Code);
        Assert.Equal(message, diagnostic.Message);
        Assert.Equal((6, 9), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void SectionOfTheWrongTypeIsReported()
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid + "\noutput: float16").Diagnostics);

        Assert.Equal(RecipeErrorCodes.WrongType, diagnostic.Code);
        Assert.Contains("expects a mapping", diagnostic.Message);
    }

    [Theory]
    [InlineData("  budget: 0.2", "  budget: 1")]
    [InlineData("  budget: 0.2", "  budget: 0")]
    [InlineData("  budget: 0.2", "  qk: 1\n  ov: 0")]
    [InlineData("  budget: 0.2", "  qk: -0.1")]
    [InlineData("  take: 500", "  take: 0")]
    [InlineData("  take: 500", "  skip: -1")]
    public void OutOfRangeValuesAreReported(string from, string to)
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid.Replace(from, to)).Diagnostics);

        Assert.Equal(RecipeErrorCodes.OutOfRange, diagnostic.Code);
    }

    [Fact]
    public void RatiosJustBelowOneAndZeroAreAccepted()
    {
        var result = folder.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", "  qk: 0\n  ov: 0.999\n  mlp: 0.5"));

        Assert.Empty(result.Diagnostics);
        Assert.Equal((0.0, 0.999, 0.5), (result.Recipe!.Compression.Qk!.Value, result.Recipe.Compression.Ov!.Value, result.Recipe.Compression.Mlp!.Value));
    }

    [Fact]
    public void MissingRequiredFieldsAreAllReported()
    {
        var result = folder.Parse("calibration:\n  take: 5\ncompression:\n  budget: 0.2\n");

        Assert.All(result.Diagnostics, d => Assert.Equal(RecipeErrorCodes.MissingRequired, d.Code));
        Assert.Equal(
            ["missing required key 'calibration.data'", "missing required key 'model'", "missing required key 'name'", "missing required key 'version'"],
            result.Diagnostics.Select(d => d.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CompressionWithoutRatiosOrBudgetIsMissingATarget()
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", "  method: a3")).Diagnostics);

        Assert.Equal(RecipeErrorCodes.MissingRequired, diagnostic.Code);
        Assert.Contains("either qk/ov/mlp ratios or a 'budget'", diagnostic.Message);
    }

    [Fact]
    public void MissingFilesAreReportedWithTheResolvedPath()
    {
        var result = folder.Parse(TempRecipeFolder.Valid.Replace("../models/tiny", "models/tiny").Replace("../data/train.txt", "../data/nope.txt"));

        Assert.Equal([RecipeErrorCodes.FileNotFound, RecipeErrorCodes.FileNotFound], result.Diagnostics.Select(d => d.Code));
        Assert.Contains(Path.Combine(folder.Root, "recipes", "models", "tiny"), result.Diagnostics[0].Message);
        Assert.Equal((3, 8), (result.Diagnostics[0].Line, result.Diagnostics[0].Column));
        Assert.Contains(Path.Combine(folder.Root, "data", "nope.txt"), result.Diagnostics[1].Message);
    }

    [Fact]
    public void AMissingModelSaysWhatToPointTheFieldAt()
    {
        var result = folder.Parse(TempRecipeFolder.Valid.Replace("../models/tiny", "../models/absent"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            $"'model': no such model folder or file '../models/absent' (resolved against the recipe's folder to {Path.Combine(folder.Root, "models", "absent")}); " +
            "point 'model' at a local Hugging Face model folder (config.json, safetensors, tokenizer) or a llama2.c .bin file",
            diagnostic.Message);
    }

    [Fact]
    public void FileChecksCanBeTurnedOff()
    {
        var result = RecipeParser.Parse(TempRecipeFolder.Valid, "/nowhere/r.a3.yaml", checkFiles: false);

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void RelativePathsResolveAgainstTheRecipeFolder()
    {
        var recipe = folder.Parse(TempRecipeFolder.Valid).Recipe!;

        Assert.Equal(Path.Combine(folder.Root, "recipes"), recipe.BaseDirectory);
        Assert.Equal(Path.Combine(folder.Root, "models", "tiny"), recipe.GetModelPath());
        Assert.Equal(Path.Combine(folder.Root, "data", "train.txt"), recipe.GetCalibrationDataPath());
        Assert.Equal("/abs/file.txt", recipe.ResolvePath("/abs/file.txt"));
    }

    [Fact]
    public void RecipeLoaderReadsTheFileAndResolvesAgainstItsFolder()
    {
        File.WriteAllText(folder.RecipePath, TempRecipeFolder.Valid);

        var result = RecipeLoader.Load(folder.RecipePath);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(Path.Combine(folder.Root, "models", "tiny"), result.Recipe!.GetModelPath());
    }

    [Fact]
    public void RecipeLoaderReportsAMissingRecipe()
    {
        var diagnostic = Assert.Single(RecipeLoader.Load(Path.Combine(folder.Root, "missing.a3.yaml")).Diagnostics);

        Assert.Equal(RecipeErrorCodes.FileNotFound, diagnostic.Code);
    }

    [Fact]
    public void RecipeLoaderRefusesARecipeLargerThanAMebibyteBeforeReadingIt()
    {
        File.WriteAllText(folder.RecipePath, TempRecipeFolder.Valid + "\n#" + new string('x', (int)RecipeLoader.MaxFileBytes));

        var diagnostic = Assert.Single(RecipeLoader.Load(folder.RecipePath).Diagnostics);

        Assert.Equal((RecipeErrorCodes.InvalidYaml, 1, 1), (diagnostic.Code, diagnostic.Line, diagnostic.Column));
        Assert.StartsWith("the recipe file has 1048", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero", "is empty or not a regular file (a device, a pipe or a socket)")]
    [InlineData("dangling", "is a symbolic link that leads nowhere (its target is missing, or the links form a loop)")]
    [InlineData("loop", "is a symbolic link that leads nowhere (its target is missing, or the links form a loop)")]
    public void RecipeLoaderRefusesARecipeThatIsNoRegularFile(string kind, string problem)
    {
        var path = kind switch
        {
            "dangling" => File.CreateSymbolicLink(Path.Combine(folder.Root, "dangling.a3.yaml"), Path.Combine(folder.Root, "gone.a3.yaml")).FullName,
            "loop" => Loop(folder.Root),
            _ => kind,
        };

        var diagnostic = Assert.Single(RecipeLoader.Load(path).Diagnostics);

        Assert.Equal((RecipeErrorCodes.FileNotFound, "the recipe file " + problem), (diagnostic.Code, diagnostic.Message));

        static string Loop(string root)
        {
            File.CreateSymbolicLink(Path.Combine(root, "b.a3.yaml"), Path.Combine(root, "a.a3.yaml"));
            return File.CreateSymbolicLink(Path.Combine(root, "a.a3.yaml"), Path.Combine(root, "b.a3.yaml")).FullName;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NestingBeyondTheLimitIsALocatedDiagnosticNotAStackOverflow(bool flow)
    {
        // 100,000 levels overflowed the stack inside YamlDotNet's representation model, which crashed the compiler
        // when the source generator read the recipe.
        const int Levels = 100_000;
        var yaml = flow
            ? "version: 1\nname: [" + new string('[', Levels) + new string(']', Levels) + "]\n"
            : "version: 1\nname:\n" + string.Concat(Enumerable.Range(1, 200).Select(level => new string(' ', level) + "- \n"));

        var diagnostic = Assert.Single(RecipeParser.Parse(yaml, "deep.a3.yaml", checkFiles: false).Diagnostics);

        Assert.Equal(RecipeErrorCodes.InvalidYaml, diagnostic.Code);
        Assert.Equal($"invalid YAML: the recipe nests mappings and sequences more than {NestingLimitParser.MaxDepth} levels deep", diagnostic.Message);
    }

    [Theory]
    [InlineData("  qk: 0.1\n  budget: 0.2", "'compression.budget' conflicts with the explicit ratio 'qk' (line 8)")]
    [InlineData("  qk: 0.1\n  allocation: greedy", "greedy allocation spreads a 'budget'")]
    [InlineData("  method: svd\n  qk: 0.1", "the svd baseline takes a 'budget'")]
    [InlineData("  method: svd-llm\n  budget: 0.2\n  allocation: greedy", "greedy allocation applies to a3 only")]
    [InlineData("  budget: 0.2\n  overrides:\n    - layers: 0-1\n      qk: 0.1", "do not combine with a 'budget'")]
    public void ConflictingOptionsAreReported(string compression, string message)
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", compression)).Diagnostics);

        Assert.Equal(RecipeErrorCodes.Conflict, diagnostic.Code);
        Assert.Contains(message, diagnostic.Message);
    }

    [Fact]
    public void UnsupportedVersionIsReported()
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid.Replace("version: 1", "version: 2")).Diagnostics);

        Assert.Equal(RecipeErrorCodes.UnsupportedVersion, diagnostic.Code);
        Assert.Equal((1, 10), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("reads version 1", diagnostic.Message);
    }

    [Fact]
    public void InvalidYamlIsALocatedDiagnostic()
    {
        var diagnostic = Assert.Single(folder.Parse("version: 1\nname: [unclosed\nmodel: x\n").Diagnostics);

        Assert.Equal(RecipeErrorCodes.InvalidYaml, diagnostic.Code);
        Assert.StartsWith("invalid YAML: ", diagnostic.Message);
        Assert.True(diagnostic.Line >= 2, diagnostic.ToString());
        Assert.DoesNotContain("(Line:", diagnostic.Message);
    }

    [Theory]
    [InlineData("version: 1\nname: x\ncalibration:\n  data: a.txt\n\tsamples: 4\n", 5, 1)]
    [InlineData("version: 1\n\tname: x\n", 2, 1)]
    public void A_tab_in_an_indentation_is_reported_at_the_tab(string yaml, int line, int column)
    {
        var diagnostic = Assert.Single(RecipeParser.Parse(yaml, "tab.a3.yaml", checkFiles: false).Diagnostics);

        Assert.Equal(RecipeErrorCodes.InvalidYaml, diagnostic.Code);
        Assert.Equal((line, column), (diagnostic.Line, diagnostic.Column));
        Assert.StartsWith("invalid YAML: a tab indents this line; YAML indents with spaces only", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 1\nname: x: y\nmodel: m\n", 2, "': ' inside a value starts a mapping where a value was expected: quote the value")]
    [InlineData("version: 1\nname: x\ncalibration:\n    data: a.txt\n  samples: 4\n", 5, "this line does not line up with the keys above it")]
    [InlineData("version: 1\nname: \"x\nmodel: m\n", 2, "a quote opened here is not closed on its line")]
    public void Yaml_syntax_errors_say_what_to_fix_at_the_line(string yaml, int line, string explanation)
    {
        var diagnostic = Assert.Single(RecipeParser.Parse(yaml, "syntax.a3.yaml", checkFiles: false).Diagnostics);

        Assert.Equal(RecipeErrorCodes.InvalidYaml, diagnostic.Code);
        Assert.Equal(line, diagnostic.Line);
        Assert.StartsWith($"invalid YAML: {explanation}", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKeysAreInvalidYaml()
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid + "\nname: again").Diagnostics);

        Assert.Equal(RecipeErrorCodes.InvalidYaml, diagnostic.Code);
    }

    [Theory]
    [InlineData("  method: svdd\n  budget: 0.2", "unknown compression.method 'svdd'; allowed: a3, svd, svd-llm")]
    [InlineData("  budget: 0.2\n  mlp_selector: cholesky", "unknown compression.mlp_selector 'cholesky'; allowed: pivoted-cholesky, importance")]
    [InlineData("  qk: 0.1\n  overrides:\n    - layers: 0..7\n      qk: 0.2", "'layers' is a layer index (3) or an inclusive range (0-7), got '0..7'")]
    public void ValuesOutsideTheirSetListTheAllowedOnes(string compression, string message)
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", compression)).Diagnostics);

        Assert.Equal(RecipeErrorCodes.InvalidValue, diagnostic.Code);
        Assert.Equal(message, diagnostic.Message);
    }

    [Fact]
    public void OverridesTakeAnIndexOrAnInclusiveRange()
    {
        const string compression = """
              qk: 0.1
              ov: 0.2
              overrides:
                - layers: 3
                  qk: 0.3
                - layers: "0-7"
                  mlp: 0.4
            """;
        var result = folder.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", compression.TrimEnd()));

        Assert.Empty(result.Diagnostics);
        var overrides = result.Recipe!.Compression.Overrides;
        Assert.Equal([(3, 3), (0, 7)], overrides.Select(o => (o.First, o.Last)));
        Assert.Equal(0.3, overrides[0].Qk);
        Assert.Null(overrides[0].Mlp);
    }

    [Fact]
    public void ReversedLayerRangeIsOutOfRange()
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 7-3\n      qk: 0.2")).Diagnostics);

        Assert.Equal(RecipeErrorCodes.OutOfRange, diagnostic.Code);
    }

    [Fact]
    public void OverrideWithoutRatiosIsAWarningOnly()
    {
        var result = folder.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 2"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(RecipeSeverity.Warning, diagnostic.Severity);
        Assert.NotNull(result.Recipe);
        Assert.Contains(": warning A3103: ", diagnostic.ToString());
    }

    [Fact]
    public void EmptyRecipeIsMissingEverything()
    {
        var diagnostic = Assert.Single(folder.Parse("# nothing\n").Diagnostics);

        Assert.Equal(RecipeErrorCodes.MissingRequired, diagnostic.Code);
    }

    [Fact]
    public void EvaluationSectionIsReadAndItsDataResolved()
    {
        var yaml = TempRecipeFolder.Valid + "\nevaluation:\n  data: ../data/train.txt\n  protocol: windows\n  seq_len: 64\n  max_windows: 10";

        var recipe = folder.Parse(yaml).Recipe!;

        Assert.Equal(RecipeEvaluationProtocol.Windows, recipe.Evaluation!.Protocol);
        Assert.Equal((64, 10), (recipe.Evaluation.SeqLen!.Value, recipe.Evaluation.MaxWindows!.Value));
        Assert.Equal(Path.Combine(folder.Root, "data", "train.txt"), recipe.GetEvaluationDataPath());
    }

    [Theory]
    [InlineData("  take: 500", "  sampels: 64", RecipeErrorCodes.UnknownKey, "calibration.sampels")]
    [InlineData("  take: 500", "  take: \"500\"", RecipeErrorCodes.WrongType, RecipeKeys.CalibrationTake)]
    [InlineData("name: tiny", "", RecipeErrorCodes.MissingRequired, RecipeKeys.Name)]
    [InlineData("  budget: 0.2", "  method: svdd\n  budget: 0.2", RecipeErrorCodes.InvalidValue, RecipeKeys.CompressionMethod)]
    [InlineData("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 1\n      qk: 0.2\n    - qk: 0.3", RecipeErrorCodes.MissingRequired, "compression.overrides[1].layers")]
    [InlineData("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 1\n      qk: 0.2\n      qq: 0.2", RecipeErrorCodes.UnknownKey, "compression.overrides[0].qq")]
    [InlineData("version: 1", "version: [1", RecipeErrorCodes.InvalidYaml, "")]
    public void ReadingDiagnosticsNameTheirKey(string from, string to, string code, string key)
    {
        var diagnostic = Assert.Single(RecipeParser.Parse(TempRecipeFolder.Valid.Replace(from, to), "r.a3.yaml", checkFiles: false).Diagnostics);

        Assert.Equal((code, key), (diagnostic.Code, diagnostic.Key));
    }

    [Theory]
    [InlineData("name: tiny", "name: \"\"", RecipeErrorCodes.MissingRequired)]
    [InlineData("  budget: 0.2", "  qk: \"0.5\"", RecipeErrorCodes.WrongType)]
    [InlineData("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 2\n      qk: [0.2]", RecipeErrorCodes.WrongType)]
    [InlineData("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: [2]\n      qk: 0.2", RecipeErrorCodes.WrongType)]
    [InlineData("calibration:\n  data: ../data/train.txt\n  take: 500", "calibration: 5", RecipeErrorCodes.WrongType)]
    [InlineData("compression:\n  budget: 0.2", "compression: []", RecipeErrorCodes.WrongType)]
    [InlineData("compression:\n  budget: 0.2", "", RecipeErrorCodes.MissingRequired)]
    [InlineData("version: 1", "version: x", RecipeErrorCodes.WrongType)]
    public void AReadingErrorIsNotReportedAgainByTheValidator(string from, string to, string code)
    {
        var diagnostic = Assert.Single(RecipeParser.Parse(TempRecipeFolder.Valid.Replace(from, to), "r.a3.yaml", checkFiles: false).Diagnostics);

        Assert.Equal(code, diagnostic.Code);
    }

    [Theory]
    [InlineData("  take: 500", "  take: 500\n  samples: 99999999999", RecipeErrorCodes.OutOfRange, "'calibration.samples' must be between 1 and 65536, got 99999999999")]
    [InlineData("  take: 500", "  take: 500\n  token_width: 4294967296", RecipeErrorCodes.InvalidValue, "'calibration.token_width' must be 2 (uint16) or 4 (uint32), got 4294967296")]
    [InlineData("version: 1", "version: 99999999999", RecipeErrorCodes.UnsupportedVersion, "unsupported recipe version 99999999999; this tool reads version 1")]
    public void IntegersTooLargeToHoldBreakTheValidatorsRule(string from, string to, string code, string message)
    {
        var diagnostic = Assert.Single(RecipeParser.Parse(TempRecipeFolder.Valid.Replace(from, to), "r.a3.yaml", checkFiles: false).Diagnostics);

        Assert.Equal((code, message), (diagnostic.Code, diagnostic.Message));
    }

    [Theory]
    [InlineData("  qk: 0.1\n  budget: 0.2", RecipeKeys.CompressionBudget, 9, 11)]
    [InlineData("  method: svd\n  ov: 0.1", RecipeKeys.CompressionOv, 9, 7)]
    [InlineData("  budget: 0.2\n  overrides:\n    - layers: 0-1\n      qk: 0.1", RecipeKeys.CompressionOverrides, 10, 5)]
    [InlineData("  qk: 0.1\n  allocation: greedy", RecipeKeys.CompressionAllocation, 9, 15)]
    public void ConflictsAreLocatedAtTheValueOfTheirKey(string compression, string key, int line, int column)
    {
        var diagnostic = Assert.Single(RecipeParser.Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", compression), "r.a3.yaml", checkFiles: false).Diagnostics);

        Assert.Equal((RecipeErrorCodes.Conflict, key, line, column), (diagnostic.Code, diagnostic.Key, diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void ReadingAndValidationDiagnosticsComeInFileOrder()
    {
        var result = folder.Parse(TempRecipeFolder.Valid.Replace("name: tiny", "name: my model").Replace("  take: 500", "  take: 0\n  tokn_width: 2") + "\ndevice: gpu\ndtype: f16");

        Assert.Equal(
            [RecipeKeys.Name, RecipeKeys.CalibrationTake, "calibration.tokn_width", RecipeKeys.Device, RecipeKeys.Dtype],
            result.Diagnostics.Select(d => d.Key));
    }
}
