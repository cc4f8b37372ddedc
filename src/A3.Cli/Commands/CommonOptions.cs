using System.CommandLine;
using A3.Recipes;

namespace A3.Cli.Commands;

/// <summary>Options shared by several verbs, created fresh per verb (an option belongs to one command).</summary>
internal static class CommonOptions
{
    /// <summary><c>--json</c>: machine-readable output on stdout.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write the result as JSON on stdout." };

    /// <summary><c>--model DIR</c>: a Hugging Face folder or a llama2.c <c>.bin</c> file.</summary>
    public static Option<string> Model() => new("--model")
    {
        Description = "A Hugging Face model folder (config.json + safetensors) or a llama2.c .bin file.",
        Required = true,
    };

    /// <summary><c>--device cpu|cuda|auto</c>, defaulting as recipes do.</summary>
    public static Option<string> Device() => new("--device")
    {
        Description = "cpu, cuda, cuda:N or auto (CUDA when available).",
        DefaultValueFactory = _ => new Recipe().Device,
    };

    /// <summary><c>--dtype float32|bfloat16</c>: the compute dtype, spelled and defaulting as recipes do.</summary>
    public static Option<string> DType() => new Option<string>("--dtype")
    {
        Description = "Compute dtype: float32 or bfloat16.",
        DefaultValueFactory = _ => RecipeNames.Of(new Recipe().Dtype),
    }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeComputeDtype>()]);
}
