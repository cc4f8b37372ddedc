using A3.Recipes;
using A3.Compression.Calibration;
using A3.Compression;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Runtime.Evaluation;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary>Maps a validated recipe onto the runtime's options: the one place recipe fields meet runtime types.</summary>
internal static class RecipeOptions
{
    /// <summary>Returns the compression options of <paramref name="recipe"/>.</summary>
    public static CompressionOptions Compression(Recipe recipe, torch.Device device)
    {
        var section = recipe.Compression;
        return new CompressionOptions
        {
            Method = section.Method switch
            {
                RecipeMethod.Svd => CompressionMethod.Svd,
                RecipeMethod.SvdLlm => CompressionMethod.SvdLlm,
                _ => CompressionMethod.A3,
            },
            Ratios = Ratios(recipe),
            Overrides = Overrides(recipe),
            Budget = section.Budget,
            Allocation = section.Allocation == RecipeAllocation.Greedy ? BudgetAllocation.Greedy : BudgetAllocation.Uniform,
            RoundTo = section.RoundTo,
            MlpSelector = section.MlpSelector == RecipeMlpSelector.Importance ? MlpSelector.Importance : MlpSelector.PivotedCholesky,
            Sequential = section.Sequential,
            Device = device,
            ComputeType = recipe.Dtype == RecipeComputeDtype.Bfloat16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32,
        };
    }

    /// <summary>Returns the model-wide ratios of <paramref name="recipe"/>, or <see langword="null"/> when it gives a budget.</summary>
    public static ComponentRatios? Ratios(Recipe recipe)
    {
        var section = recipe.Compression;
        return section.HasRatios() ? new ComponentRatios(section.Qk ?? 0, section.Ov ?? 0, section.Mlp ?? 0) : null;
    }

    /// <summary>Returns the per-layer overrides of <paramref name="recipe"/>; an override's unset ratio is the model-wide one.</summary>
    public static LayerRatioOverride[] Overrides(Recipe recipe)
    {
        var section = recipe.Compression;
        return section.Overrides
            .Select(o => new LayerRatioOverride(o.First, o.Last, new ComponentRatios(o.Qk ?? section.Qk ?? 0, o.Ov ?? section.Ov ?? 0, o.Mlp ?? section.Mlp ?? 0)))
            .ToArray();
    }

    /// <summary>Returns the calibration options of <paramref name="recipe"/>.</summary>
    public static CalibrationOptions Calibration(Recipe recipe) => new()
    {
        Format = recipe.Calibration.Format switch
        {
            RecipeCalibrationFormat.Text => CalibrationFormat.Text,
            RecipeCalibrationFormat.Tokens => CalibrationFormat.Tokens,
            _ => CalibrationFormat.Documents,
        },
        Separator = recipe.Calibration.Separator,
        Skip = recipe.Calibration.Skip,
        Take = recipe.Calibration.Take,
        Samples = recipe.Calibration.Samples,
        SequenceLength = recipe.Calibration.SequenceLength,
        Seed = recipe.Calibration.Seed,
        TokenWidth = recipe.Calibration.TokenWidth,
    };

    /// <summary>Returns the evaluation options of <paramref name="recipe"/>, when it asks for an evaluation.</summary>
    public static EvaluationOptions? Evaluation(Recipe recipe) => recipe.Evaluation is not { } section ? null : new EvaluationOptions
    {
        Protocol = section.Protocol == RecipeEvaluationProtocol.Windows ? EvaluationProtocol.Windows : EvaluationProtocol.Documents,
        Separator = section.Separator,
        SkipDocuments = section.SkipDocs,
        MaxDocuments = section.MaxDocs,
        SequenceLength = section.SeqLen,
        MaxWindows = section.MaxWindows,
    };

    /// <summary>Returns the stored dtype of the output weights.</summary>
    public static torch.ScalarType OutputType(Recipe recipe) => recipe.Output.Dtype switch
    {
        RecipeOutputDtype.Float16 => torch.ScalarType.Float16,
        RecipeOutputDtype.Bfloat16 => torch.ScalarType.BFloat16,
        _ => torch.ScalarType.Float32,
    };
}
