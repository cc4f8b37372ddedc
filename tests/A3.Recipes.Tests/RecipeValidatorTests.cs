using System.Text.RegularExpressions;

namespace A3.Recipes.Tests;

/// <summary>
/// <see cref="RecipeValidator"/>: a recipe built in memory meets the same rules, codes, messages and
/// keys as one parsed from YAML, without a location; a parsed one keeps its locations.
/// </summary>
public sealed class RecipeValidatorTests : IDisposable
{
    private const string RecipePath = "r.a3.yaml";

    private static readonly Regex LineHint = new(@" \(line \d+\)");

    private readonly TempRecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Each case: the YAML edit of <see cref="TempRecipeFolder.Valid"/> and the same edit of <see cref="InMemoryValid"/>.</summary>
    private static readonly Dictionary<string, (Func<string, string> Yaml, Action<Recipe> Build)> Cases = new()
    {
        ["ratio out of range"] = (
            y => y.Replace("  budget: 0.2", "  qk: 1.5"),
            r => (r.Compression.Budget, r.Compression.Qk) = (null, 1.5)),
        ["negative ratio"] = (
            y => y.Replace("  budget: 0.2", "  mlp: -0.1"),
            r => (r.Compression.Budget, r.Compression.Mlp) = (null, -0.1)),
        ["budget out of range"] = (
            y => y.Replace("  budget: 0.2", "  budget: 1.5"),
            r => r.Compression.Budget = 1.5),
        ["budget with ratios"] = (
            y => y.Replace("  budget: 0.2", "  qk: 0.1\n  ov: 0.2\n  budget: 0.2"),
            r => (r.Compression.Qk, r.Compression.Ov) = (0.1, 0.2)),
        ["neither ratios nor budget"] = (
            y => y.Replace("  budget: 0.2", "  method: a3"),
            r => r.Compression.Budget = null),
        ["baseline with ratios"] = (
            y => y.Replace("  budget: 0.2", "  method: svd\n  qk: 0.1"),
            r => (r.Compression.Method, r.Compression.Budget, r.Compression.Qk) = (RecipeMethod.Svd, null, 0.1)),
        ["greedy without budget"] = (
            y => y.Replace("  budget: 0.2", "  qk: 0.1\n  allocation: greedy"),
            r => (r.Compression.Budget, r.Compression.Qk, r.Compression.Allocation) = (null, 0.1, RecipeAllocation.Greedy)),
        ["greedy baseline"] = (
            y => y.Replace("  budget: 0.2", "  method: svd-llm\n  budget: 0.2\n  allocation: greedy"),
            r => (r.Compression.Method, r.Compression.Allocation) = (RecipeMethod.SvdLlm, RecipeAllocation.Greedy)),
        ["search baseline"] = (
            y => y.Replace("  budget: 0.2", "  method: svd\n  budget: 0.2\n  allocation: search"),
            r => (r.Compression.Method, r.Compression.Allocation) = (RecipeMethod.Svd, RecipeAllocation.Search)),
        ["overrides with budget"] = (
            y => y.Replace("  budget: 0.2", "  budget: 0.2\n  overrides:\n    - layers: 0-1\n      qk: 0.1"),
            r => r.Compression.Overrides.Add(new LayerOverride { Layers = "0-1", Qk = 0.1 })),
        ["bad token width"] = (
            y => y.Replace("  take: 500", "  take: 500\n  token_width: 3"),
            r => r.Calibration.TokenWidth = 3),
        ["bad device"] = (
            y => y + "\ndevice: gpu",
            r => r.Device = "gpu"),
        ["bad name"] = (
            y => y.Replace("name: tiny", "name: my model"),
            r => r.Name = "my model"),
        ["samples 0"] = (
            y => y.Replace("  take: 500", "  take: 500\n  samples: 0"),
            r => r.Calibration.Samples = 0),
        ["samples beyond the cap"] = (
            y => y.Replace("  take: 500", "  take: 500\n  samples: 20000000"),
            r => r.Calibration.Samples = 20_000_000),
        ["window beyond the cap"] = (
            y => y.Replace("  take: 500", "  take: 500\n  sequence_length: 2000000"),
            r => r.Calibration.SequenceLength = 2_000_000),
        ["name too long"] = (
            y => y.Replace("name: tiny", "name: " + new string('a', 129)),
            r => r.Name = new string('a', 129)),
        ["name starting with a non-ASCII letter"] = (
            y => y.Replace("name: tiny", "name: émodel"),
            r => r.Name = "émodel"),
        ["take 0"] = (
            y => y.Replace("  take: 500", "  take: 0"),
            r => r.Calibration.Take = 0),
        ["negative skip"] = (
            y => y.Replace("  take: 500", "  take: 500\n  skip: -1"),
            r => r.Calibration.Skip = -1),
        ["round_to 0"] = (
            y => y.Replace("  budget: 0.2", "  budget: 0.2\n  round_to: 0"),
            r => r.Compression.RoundTo = 0),
        ["reversed layer range"] = (
            y => y.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 0\n      ov: 0.1\n    - layers: 7-3\n      qk: 0.2"),
            r =>
            {
                (r.Compression.Budget, r.Compression.Qk) = (null, 0.1);
                r.Compression.Overrides.Add(new LayerOverride { Layers = "0", Ov = 0.1 });
                r.Compression.Overrides.Add(new LayerOverride { Layers = "7-3", Qk = 0.2 });
            }),
        ["malformed layer range"] = (
            y => y.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 0..7\n      qk: 0.2"),
            r => (r.Compression.Budget, r.Compression.Qk, r.Compression.Overrides) = (null, 0.1, [new LayerOverride { Layers = "0..7", Qk = 0.2 }])),
        ["override ratio out of range"] = (
            y => y.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 2\n      mlp: 1"),
            r => (r.Compression.Budget, r.Compression.Qk, r.Compression.Overrides) = (null, 0.1, [new LayerOverride { Layers = "2", Mlp = 1 }])),
        ["override without ratios"] = (
            y => y.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 2"),
            r => (r.Compression.Budget, r.Compression.Qk, r.Compression.Overrides) = (null, 0.1, [new LayerOverride { Layers = "2" }])),
        ["unsupported version"] = (
            y => y.Replace("version: 1", "version: 2"),
            r => r.Version = 2),
        ["evaluation counts"] = (
            y => y + "\nevaluation:\n  data: ../data/train.txt\n  max_docs: 0\n  skip_docs: -2",
            r => r.Evaluation = new EvaluationSection { Data = "../data/train.txt", MaxDocs = 0, SkipDocs = -2 }),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_recipe_built_in_memory_gets_the_diagnostics_of_its_yaml(string name)
    {
        var (yaml, build) = Cases[name];
        var parsed = RecipeParser.Parse(yaml(TempRecipeFolder.Valid), RecipePath, checkFiles: false).Diagnostics;
        var recipe = InMemoryValid();
        build(recipe);

        var built = RecipeValidator.Validate(recipe, checkFiles: false);

        Assert.NotEmpty(parsed);
        // The parser orders by position in the file, the validator by the format's key order; a
        // message that points at other lines of the file says so only when there is a file
        // (Budget_with_ratios_names_the_ratios_lines_only_when_the_recipe_has_lines).
        Assert.Equal(parsed.Select(d => Subject(d) with { Item3 = LineHint.Replace(d.Message, string.Empty) }).Order(), built.Select(Subject).Order());
        Assert.All(parsed, d => Assert.True(d.File == RecipePath && d.Line > 0 && d.Column > 0, d.ToString()));
        Assert.All(built, d => Assert.True(d.File.Length == 0 && d.Line == 0 && d.Column == 0, d.ToString()));
    }

    [Theory]
    [InlineData("ratio out of range", RecipeErrorCodes.OutOfRange, RecipeKeys.CompressionQk, "the qk ratio 'compression.qk' must be in [0, 1), got 1.5")]
    [InlineData("budget out of range", RecipeErrorCodes.OutOfRange, RecipeKeys.CompressionBudget, "'compression.budget' must be in (0, 1), got 1.5")]
    [InlineData("baseline with ratios", RecipeErrorCodes.Conflict, RecipeKeys.CompressionQk, "the svd baseline takes a 'budget' (each linear layer keeps the rank that removes that fraction of its parameters), not qk/ov/mlp ratios")]
    [InlineData("greedy without budget", RecipeErrorCodes.Conflict, RecipeKeys.CompressionAllocation, "greedy allocation spreads a 'budget'; add 'budget' or use allocation: uniform")]
    [InlineData("search baseline", RecipeErrorCodes.Conflict, RecipeKeys.CompressionAllocation, "search allocation applies to a3 only; the svd baseline allocates each layer the same ratio")]
    [InlineData("overrides with budget", RecipeErrorCodes.Conflict, RecipeKeys.CompressionOverrides, "per-layer 'overrides' refine qk/ov/mlp ratios; they do not combine with a 'budget'")]
    [InlineData("bad token width", RecipeErrorCodes.InvalidValue, RecipeKeys.CalibrationTokenWidth, "'calibration.token_width' must be 2 (uint16) or 4 (uint32), got 3")]
    [InlineData("bad device", RecipeErrorCodes.InvalidValue, RecipeKeys.Device, "unknown device 'gpu'; allowed: cpu, cuda, cuda:N, auto")]
    [InlineData("bad name", RecipeErrorCodes.InvalidValue, RecipeKeys.Name, "the name 'my model' must start with a letter or digit, use only letters, digits, '.', '_' and '-', and have at most 128 characters (it names the output folder and the generated class)")]
    [InlineData("name too long", RecipeErrorCodes.InvalidValue, RecipeKeys.Name, "the name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' must start with a letter or digit, use only letters, digits, '.', '_' and '-', and have at most 128 characters (it names the output folder and the generated class); it has 129")]
    [InlineData("samples 0", RecipeErrorCodes.OutOfRange, RecipeKeys.CalibrationSamples, "'calibration.samples' must be between 1 and 65536, got 0")]
    [InlineData("samples beyond the cap", RecipeErrorCodes.OutOfRange, RecipeKeys.CalibrationSamples, "'calibration.samples' must be between 1 and 65536, got 20000000")]
    [InlineData("window beyond the cap", RecipeErrorCodes.OutOfRange, RecipeKeys.CalibrationSequenceLength, "'calibration.sequence_length' must be between 1 and 1048576, got 2000000")]
    [InlineData("reversed layer range", RecipeErrorCodes.OutOfRange, "compression.overrides[1].layers", "the layer range '7-3' ends before it starts; write 3-7")]
    [InlineData("malformed layer range", RecipeErrorCodes.InvalidValue, "compression.overrides[0].layers", "'layers' is a layer index (3) or an inclusive range (0-7), got '0..7'")]
    [InlineData("override ratio out of range", RecipeErrorCodes.OutOfRange, "compression.overrides[0].mlp", "the mlp ratio 'compression.overrides.mlp' must be in [0, 1), got 1")]
    [InlineData("unsupported version", RecipeErrorCodes.UnsupportedVersion, RecipeKeys.Version, "unsupported recipe version 2; this tool reads version 1")]
    public void The_message_and_key_are_those_the_parser_gave_before_the_split(string name, string code, string key, string message)
    {
        var recipe = InMemoryValid();
        Cases[name].Build(recipe);

        var diagnostic = Assert.Single(RecipeValidator.Validate(recipe, checkFiles: false));

        Assert.Equal((code, key, message), (diagnostic.Code, diagnostic.Key, diagnostic.Message));
    }

    [Fact]
    public void Budget_with_ratios_names_the_ratios_lines_only_when_the_recipe_has_lines()
    {
        var yaml = Cases["budget with ratios"].Yaml(TempRecipeFolder.Valid);
        var recipe = InMemoryValid();
        Cases["budget with ratios"].Build(recipe);

        var parsed = Assert.Single(RecipeParser.Parse(yaml, RecipePath, checkFiles: false).Diagnostics);
        var built = Assert.Single(RecipeValidator.Validate(recipe, checkFiles: false));

        const string InMemory = "'compression.budget' conflicts with the explicit ratios 'qk', 'ov'; give a budget or qk/ov/mlp ratios, not both";
        Assert.Equal(InMemory, built.Message);
        Assert.Equal(InMemory.Replace("'qk', 'ov'", "'qk' (line 8), 'ov' (line 9)"), parsed.Message);
        Assert.Equal((RecipeErrorCodes.Conflict, RecipeKeys.CompressionBudget), (built.Code, built.Key));
    }

    [Fact]
    public void A_valid_recipe_built_in_memory_validates_clean()
    {
        Assert.Empty(RecipeValidator.Validate(InMemoryValid(), checkFiles: false));
    }

    [Theory]
    [InlineData(RecipeMethod.Svd)]
    [InlineData(RecipeMethod.SvdLlm)]
    public void A_baseline_budget_without_an_allocation_validates_clean_although_the_a3_default_is_search(RecipeMethod method)
    {
        var recipe = InMemoryValid();
        recipe.Compression.Method = method;

        Assert.Empty(RecipeValidator.Validate(recipe, checkFiles: false));
        Assert.Equal(RecipeAllocation.Uniform, recipe.Compression.AllocationOrDefault());
    }

    [Fact]
    public void A_valid_recipe_built_in_memory_with_every_section_validates_clean_with_file_checks()
    {
        var recipe = InMemoryValid();
        recipe.BaseDirectory = Path.Combine(folder.Root, "recipes");
        recipe.Device = "cuda:1";
        recipe.Compression.Budget = null;
        recipe.Compression.Qk = 0;
        recipe.Compression.Mlp = 0.999;
        recipe.Compression.RoundTo = 8;
        recipe.Compression.Overrides.Add(new LayerOverride { Layers = " 2 - 5 ", Ov = 0.5 });
        recipe.Calibration.TokenWidth = 4;
        recipe.Evaluation = new EvaluationSection { Data = "../data/train.txt", Protocol = RecipeEvaluationProtocol.Windows, SeqLen = 64, MaxWindows = 3 };

        Assert.Empty(RecipeValidator.Validate(recipe, checkFiles: true));
        Assert.Equal((2, 5), (recipe.Compression.Overrides[0].First, recipe.Compression.Overrides[0].Last));
    }

    [Fact]
    public void Missing_files_of_a_recipe_built_in_memory_resolve_against_its_base_directory()
    {
        var recipe = InMemoryValid();
        recipe.BaseDirectory = Path.Combine(folder.Root, "recipes");
        recipe.Model = "../models/absent";

        var diagnostic = Assert.Single(RecipeValidator.Validate(recipe, checkFiles: true));

        Assert.Equal((RecipeErrorCodes.FileNotFound, RecipeKeys.Model), (diagnostic.Code, diagnostic.Key));
        Assert.Contains(Path.Combine(folder.Root, "models", "absent"), diagnostic.Message);
    }

    [Fact]
    public void Empty_required_values_of_a_recipe_built_in_memory_are_missing()
    {
        var recipe = new Recipe { Compression = { Qk = 0.1, Overrides = [new LayerOverride { Qk = 0.1 }] }, Evaluation = new EvaluationSection() };

        var diagnostics = RecipeValidator.Validate(recipe, checkFiles: true);

        Assert.All(diagnostics, d => Assert.Equal(RecipeErrorCodes.MissingRequired, d.Code));
        Assert.Equal(
            [
                (RecipeKeys.Name, "missing required key 'name'"),
                (RecipeKeys.Model, "missing required key 'model'"),
                (RecipeKeys.CalibrationData, "missing required key 'calibration.data'"),
                ("compression.overrides[0].layers", "missing required key 'compression.overrides.layers'"),
                (RecipeKeys.EvaluationData, "missing required key 'evaluation.data'"),
            ],
            diagnostics.Select(d => (d.Key, d.Message)));
    }

    [Fact]
    public void Values_only_a_program_can_hold_are_reported_too()
    {
        var recipe = InMemoryValid();
        recipe.Compression.Method = (RecipeMethod)7;
        recipe.Compression.Budget = double.NaN;
        recipe.Compression.Overrides.Add(null!);

        var diagnostics = RecipeValidator.Validate(recipe, checkFiles: false);

        Assert.Contains(diagnostics, d => d.Key == RecipeKeys.CompressionMethod && d.Message == "unknown compression.method '7'; allowed: a3, svd, svd-llm");
        Assert.Contains(diagnostics, d => d.Key == RecipeKeys.CompressionBudget && d.Code == RecipeErrorCodes.OutOfRange);
        Assert.Contains(diagnostics, d => d.Key == "compression.overrides[0]" && d.Code == RecipeErrorCodes.WrongType);
    }

    [Fact]
    public void Validating_a_parsed_recipe_locates_at_the_values_it_writes_or_their_section()
    {
        var yaml = TempRecipeFolder.Valid.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 2");
        var result = RecipeParser.Parse(yaml, RecipePath, checkFiles: false);
        var recipe = Assert.IsType<Recipe>(result.Recipe);

        Assert.Equal(result.Diagnostics.Select(Located), RecipeValidator.Validate(recipe, checkFiles: false).Select(Located));
        Assert.Equal(("compression.overrides[0]", 10, 7), (result.Diagnostics[0].Key, result.Diagnostics[0].Line, result.Diagnostics[0].Column));

        // A value changed after parsing and not written in the file is located at its section.
        recipe.Compression.RoundTo = 0;
        var moved = Assert.Single(RecipeValidator.Validate(recipe, checkFiles: false), d => d.Key == RecipeKeys.CompressionRoundTo);
        Assert.Equal((RecipePath, 8, 3), (moved.File, moved.Line, moved.Column));
    }

    [Fact]
    public void A_diagnostic_of_a_recipe_built_in_memory_prints_without_a_position()
    {
        var recipe = InMemoryValid();
        recipe.Compression.Budget = 1.5;

        var diagnostic = Assert.Single(RecipeValidator.Validate(recipe, checkFiles: false));

        Assert.Equal("error A3102: 'compression.budget' must be in (0, 1), got 1.5", diagnostic.ToString());
    }

    [Fact]
    public void Layers_decides_first_and_last()
    {
        Assert.Equal((3, 3), Range(new LayerOverride { Layers = "3" }));
        Assert.Equal((0, 7), Range(new LayerOverride { Layers = " 0 - 7 " }));
        Assert.Equal((7, 3), Range(new LayerOverride { Layers = "7-3" }));
        Assert.Equal((-1, -1), Range(new LayerOverride { Layers = "0..7" }));
        Assert.Equal((-1, -1), Range(new LayerOverride()));

        static (int, int) Range(LayerOverride item) => (item.First, item.Last);
    }

    private static (string, string, string, RecipeSeverity) Subject(RecipeDiagnostic d) => (d.Code, d.Key, d.Message, d.Severity);

    private static (string, string, int, int, string) Located(RecipeDiagnostic d) => (d.Code, d.Key, d.Line, d.Column, d.File);

    /// <summary>The in-memory equivalent of <see cref="TempRecipeFolder.Valid"/>.</summary>
    private static Recipe InMemoryValid() => new()
    {
        Name = "tiny",
        Model = "../models/tiny",
        Calibration = { Data = "../data/train.txt", Take = 500 },
        Compression = { Budget = 0.2 },
    };
}
