using A3.Compression.Budget;
using A3.Compression.Calibration;
using A3.Compression.Methods;
using A3.Compression.Pipelines;
using A3.Compression.Solvers;
using A3.Evaluation;
using A3.Recipes;
using A3.Runtime.Evaluation;
using A3.Runtime.IO;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Recipes;

/// <summary>
/// How a validated recipe's values become the engine's settings: the one place recipe fields meet the
/// compression and runtime types. Recipes, the command line (through an in-memory recipe) and the MSBuild
/// task all reach the engine through here.
/// </summary>
public static class RecipeBinding
{
    /// <summary>Returns the compression method the recipe names, with its target.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The method.</returns>
    /// <exception cref="InvalidSettingException">A value is out of range (a recipe that passed validation never has one).</exception>
    public static ICompressionMethod Method(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var section = recipe.Compression;
        return section.Method switch
        {
            RecipeMethod.Svd => new SvdMethod(RequiredBudget(section)),
            RecipeMethod.SvdLlm => new SvdLlmMethod(RequiredBudget(section)),
            _ => new A3Method(Planner(section), section.MlpSelector == RecipeMlpSelector.Importance ? MlpSelector.Importance : MlpSelector.PivotedCholesky),
        };
    }

    /// <summary>Returns the calibration pipeline the recipe asks for.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The pipeline.</returns>
    public static CalibrationPipeline Pipeline(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return recipe.Compression.Sequential ? CalibrationPipeline.Sequential : CalibrationPipeline.Independent;
    }

    /// <summary>Returns the model-wide ratios of <paramref name="recipe"/>, or <see langword="null"/> when it gives a budget.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The ratios, or <see langword="null"/>.</returns>
    public static ComponentRatios? Ratios(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return Ratios(recipe.Compression);
    }

    /// <summary>Returns the per-layer overrides of <paramref name="recipe"/>; an override's unset ratio is the model-wide one.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The overrides.</returns>
    public static IReadOnlyList<LayerRatioOverride> Overrides(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return Overrides(recipe.Compression);
    }

    /// <summary>Returns the calibration options of <paramref name="recipe"/>.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The options.</returns>
    public static CalibrationOptions Calibration(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);

        // Only the search compares plans on selection windows; other runs draw none (and need no data for them).
        var search = recipe.Compression.Method == RecipeMethod.A3 && recipe.Compression.Budget is not null && recipe.Compression.AllocationOrDefault() == RecipeAllocation.Search;
        return Calibration(recipe.Calibration) with { SelectionSamples = search ? recipe.Calibration.SelectionSamples : 0 };
    }

    /// <summary>Returns the calibration options of a recipe's calibration section.</summary>
    /// <param name="section">The section.</param>
    /// <returns>The options.</returns>
    public static CalibrationOptions Calibration(CalibrationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new CalibrationOptions
        {
            Format = section.Format,
            Separator = section.Separator,
            Skip = section.Skip,
            Take = section.Take,
            Samples = section.Samples,
            SequenceLength = section.SequenceLength,
            Seed = section.Seed,
            TokenWidth = section.TokenWidth,
        };
    }

    /// <summary>Returns the evaluation options of <paramref name="recipe"/>, when it asks for an evaluation.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The options, or <see langword="null"/> without an evaluation.</returns>
    public static EvaluationOptions? Evaluation(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return recipe.Evaluation is { } section ? Evaluation(section) : null;
    }

    /// <summary>Returns the evaluation options of a recipe's evaluation section.</summary>
    /// <param name="section">The section.</param>
    /// <returns>The options.</returns>
    public static EvaluationOptions Evaluation(EvaluationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new EvaluationOptions
        {
            Protocol = EvaluationProtocols.Of(section.Protocol),
            Separator = section.Separator,
            SkipDocuments = section.SkipDocs,
            MaxDocuments = section.MaxDocs,
            SequenceLength = section.SeqLen,
            MaxWindows = section.MaxWindows,
        };
    }

    /// <summary>Returns the dtype layers run in while statistics are collected.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The compute dtype.</returns>
    public static torch.ScalarType ComputeType(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return ComputeType(recipe.Dtype);
    }

    /// <summary>Returns the TorchSharp dtype of a recipe's compute dtype.</summary>
    /// <param name="dtype">The recipe's compute dtype.</param>
    /// <returns>The TorchSharp dtype.</returns>
    public static torch.ScalarType ComputeType(RecipeComputeDtype dtype) =>
        dtype == RecipeComputeDtype.Bfloat16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;

    /// <summary>Returns the stored dtype of the output weights.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <param name="model">The source model's configuration, whose dtype <see cref="RecipeOutputDtype.Source"/> keeps.</param>
    /// <returns>The output dtype.</returns>
    public static torch.ScalarType OutputType(Recipe recipe, ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(model);
        return recipe.Output.Dtype switch
        {
            RecipeOutputDtype.Float32 => torch.ScalarType.Float32,
            RecipeOutputDtype.Float16 => torch.ScalarType.Float16,
            RecipeOutputDtype.Bfloat16 => torch.ScalarType.BFloat16,
            RecipeOutputDtype.Source => TorchDtypeNames.ScalarTypeOf(model.TorchDtype),
            var other => throw new ArgumentOutOfRangeException(nameof(recipe), other, "unknown output dtype"),
        };
    }

    private static IA3Planner Planner(CompressionSection section)
    {
        if (section.Budget is not double budget)
        {
            return new RatiosPlanner(Ratios(section) ?? new ComponentRatios(0, 0, 0), Overrides(section), section.RoundTo);
        }

        return section.AllocationOrDefault() switch
        {
            RecipeAllocation.Greedy => new GreedyBudgetPlanner(budget, section.RoundTo),
            RecipeAllocation.Search => new SearchBudgetPlanner(budget, section.RoundTo, section.SearchLevels, section.SearchEvaluations),
            _ => new UniformBudgetPlanner(budget, section.RoundTo),
        };
    }

    private static double RequiredBudget(CompressionSection section) =>
        section.Budget ?? throw new InvalidSettingException(RecipeKeys.CompressionBudget, "is required by the low-rank baselines (each linear layer keeps the rank that removes that fraction of its parameters)");

    private static ComponentRatios? Ratios(CompressionSection section) =>
        section.HasRatios() ? new ComponentRatios(section.Qk ?? 0, section.Ov ?? 0, section.Mlp ?? 0) : null;

    /// <summary>An override's unset ratio is the model-wide one.</summary>
    private static LayerRatioOverride[] Overrides(CompressionSection section) =>
        section.Overrides
            .Select(o => new LayerRatioOverride(o.First, o.Last, new ComponentRatios(o.Qk ?? section.Qk ?? 0, o.Ov ?? section.Ov ?? 0, o.Mlp ?? section.Mlp ?? 0)))
            .ToArray();
}
