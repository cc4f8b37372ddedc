using A3.Runtime;
using A3.Compression.Budget;
using A3.Runtime.Inspection;
using A3.Runtime.Model;

namespace A3.Compression.Tests.Budget;

public sealed class PlannerTests
{
    /// <summary>A Llama-like shape large enough for rounding to matter: dh 64, I 688, 4 layers.</summary>
    private static ModelConfig Config(int layers = 4) => new()
    {
        Architecture = "LlamaForCausalLM",
        ModelType = "llama",
        HiddenSize = 256,
        IntermediateSize = 688,
        NumLayers = layers,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        VocabSize = 1000,
        MaxPositionEmbeddings = 512,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        OriginalHeadDim = 64,
        AttentionScale = 0.125,
        TieWordEmbeddings = true,
        Layers = ModelConfig.FullLayers(layers, 2, 64, 688),
    };

    private sealed class Curve(Func<int, double> error) : IErrorCurve
    {
        public double RelativeError(int kept) => error(kept);
    }

    [Theory]
    [InlineData(8, 0.0, 1, 8)]
    [InlineData(8, 0.25, 1, 6)]
    [InlineData(8, 0.3, 1, 6)]
    [InlineData(8, 0.99, 1, 1)]
    [InlineData(688, 0.1, 64, 640)]
    [InlineData(688, 0.5, 64, 320)]
    [InlineData(688, 0.999, 64, 64)]
    [InlineData(4, 0.9, 8, 4)]
    public void Keep_rounds_to_the_grid_and_never_vanishes(int total, double ratio, int step, int expected)
    {
        Assert.Equal(expected, RoundingGrid.Keep(total, ratio, step));
    }

    [Fact]
    public void Smaller_steps_down_from_an_off_grid_full_size_to_the_grid()
    {
        Assert.Equal(640, RoundingGrid.Smaller(688, 688, 64));
        Assert.Equal(576, RoundingGrid.Smaller(640, 688, 64));
        Assert.Null(RoundingGrid.Smaller(64, 688, 64));
    }

    [Fact]
    public void Zero_ratios_keep_the_model_whole_and_overrides_apply_to_their_layers()
    {
        var config = Config();
        var full = UniformPlanner.FromRatios(config, new ComponentRatios(0, 0, 0), [], 1);
        var overridden = UniformPlanner.FromRatios(config, new ComponentRatios(0, 0, 0), [new LayerRatioOverride(1, 2, new ComponentRatios(0.5, 0.25, 0.5))], 1);

        Assert.Equal(0, full.RemovedFraction(config));
        Assert.Equal(new LayerPlan(32, 64, 688), overridden.Layers[0]);
        Assert.Equal(new LayerPlan(16, 48, 344), overridden.Layers[1]);
        Assert.Equal(new LayerPlan(16, 48, 344), overridden.Layers[2]);
        Assert.Equal(new LayerPlan(32, 64, 688), overridden.Layers[3]);
    }

    [Fact]
    public void Removed_fraction_counts_parameters_by_hand()
    {
        var config = Config(layers: 1);
        var plan = new CompressionPlan([new LayerPlan(KeptPairs: 24, VHeadDim: 48, IntermediateSize: 600)]);
        long original = ModelFootprint.Compute(config, 4, 1).DecoderLinearParameters;
        long removed = ((4 + 2) * 256 * 16) + ((2 + 4) * 256 * 16) + (3 * 256 * 88);

        Assert.Equal(removed / (double)original, plan.RemovedFraction(config), 1e-12);
    }

    [Theory]
    [InlineData(0.1, 1)]
    [InlineData(0.2, 8)]
    [InlineData(0.3, 64)]
    public void Uniform_budget_lands_within_one_rounding_step(double budget, int roundTo)
    {
        var config = Config();
        var plan = UniformPlanner.ForBudget(config, budget, roundTo);

        // One step of every component of every layer bounds how far rounding can move the result.
        long original = ModelFootprint.Compute(config, 4, 1).DecoderLinearParameters;
        double oneStep = config.NumLayers * (((4 + 2) * 256 * Math.Max(2, roundTo)) + ((2 + 4) * 256 * roundTo) + (3 * 256 * roundTo)) / (double)original;
        Assert.InRange(plan.RemovedFraction(config), budget - oneStep, budget + oneStep);
    }

    [Fact]
    public void Greedy_keeps_the_uniform_component_split_and_moves_each_share_to_the_cheapest_layers()
    {
        var config = Config();

        // MLP of layer 3 costs nothing to remove; everything else is expensive.
        var plan = GreedyPlanner.Plan(config, 0.1, 16, (layer, component) =>
            layer == 3 && component == A3Component.Mlp ? new Curve(_ => 0) : new Curve(kept => 1.0 / kept));

        var uniform = UniformPlanner.ForBudget(config, 0.1, 16);
        double step = config.NumLayers * ((6 * 256 * 16) + (6 * 256 * 16) + (3 * 256 * 16)) / (double)ModelFootprint.Compute(config, 4, 1).DecoderLinearParameters;
        Assert.InRange(plan.RemovedFraction(config), uniform.RemovedFraction(config) - 1e-12, uniform.RemovedFraction(config) + step);

        // The MLP's share of the budget all comes from the free layer; the other layers keep their MLP.
        Assert.True(plan.Layers[3].IntermediateSize < uniform.Layers[3].IntermediateSize);
        Assert.Equal(688, plan.Layers[0].IntermediateSize);
    }

    [Fact]
    public void Greedy_total_error_is_no_worse_than_uniform_at_the_same_budget()
    {
        var config = Config();
        var random = new Random(5);

        // Convex, layer-dependent curves: error grows as the square of the removed fraction, scaled per layer and component.
        var scale = new Dictionary<(int, A3Component), double>();
        for (int i = 0; i < config.NumLayers; i++)
        {
            foreach (var component in Enum.GetValues<A3Component>())
            {
                scale[(i, component)] = 0.1 + random.NextDouble();
            }
        }

        int Total(A3Component c) => c switch { A3Component.Qk => 32, A3Component.Ov => 64, _ => 688 };
        IErrorCurve CurveOf(int layer, A3Component c) => new Curve(kept => scale[(layer, c)] * Math.Pow(1 - (kept / (double)Total(c)), 2));
        double TotalError(CompressionPlan plan) => Enumerable.Range(0, config.NumLayers)
            .Sum(i => Enum.GetValues<A3Component>().Sum(c => CurveOf(i, c).RelativeError(plan.Layers[i].Kept(c))));

        var uniform = UniformPlanner.ForBudget(config, 0.2, 1);
        var greedy = GreedyPlanner.Plan(config, uniform.RemovedFraction(config), 1, CurveOf);

        Assert.True(greedy.RemovedFraction(config) >= uniform.RemovedFraction(config) - 1e-12);
        Assert.True(TotalError(greedy) <= TotalError(uniform), $"greedy {TotalError(greedy)} vs uniform {TotalError(uniform)}");
    }

    [Fact]
    public void Out_of_range_ratios_budgets_and_overrides_name_the_setting()
    {
        var config = Config();

        Assert.Equal("compression.qk", Assert.Throws<InvalidSettingException>(() => UniformPlanner.FromRatios(config, new ComponentRatios(1.0, 0, 0), [], 1)).Setting);
        Assert.Equal("compression.ov", Assert.Throws<InvalidSettingException>(() => UniformPlanner.FromRatios(config, new ComponentRatios(0, -0.1, 0), [], 1)).Setting);
        Assert.Equal("compression.overrides", Assert.Throws<InvalidSettingException>(() => UniformPlanner.FromRatios(config, new ComponentRatios(0, 0, 0), [new LayerRatioOverride(2, 9, new ComponentRatios(0, 0, 0))], 1)).Setting);
        Assert.Equal("compression.budget", Assert.Throws<InvalidSettingException>(() => UniformPlanner.ForBudget(config, 0, 1)).Setting);
        Assert.Equal("compression.round_to", Assert.Throws<InvalidSettingException>(() => UniformPlanner.FromRatios(config, new ComponentRatios(0, 0, 0), [], 0)).Setting);
    }
}
