using A3.Recipes;

namespace A3.Evaluation;

/// <summary>The runtime's evaluation protocols for the ones recipes and the command line name.</summary>
internal static class EvaluationProtocols
{
    /// <summary>Returns the protocol <paramref name="protocol"/> names.</summary>
    /// <param name="protocol">The protocol as recipes spell it.</param>
    /// <returns>The runtime's protocol.</returns>
    public static EvaluationProtocol Of(RecipeEvaluationProtocol protocol) => protocol switch
    {
        RecipeEvaluationProtocol.Windows => EvaluationProtocol.Windows,
        RecipeEvaluationProtocol.Documents => EvaluationProtocol.Documents,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "documents or windows"),
    };
}
