using Xunit.Abstractions;

namespace A3.Recipes.Tests;

/// <summary>
/// Seeded mutations of a full recipe (characters YAML gives meaning to, deleted and duplicated lines, truncation,
/// deep nesting, huge numbers): the parser and validator must answer each with a recipe or with located errors, never
/// an exception. Files are not checked, so what decides is the text.
/// </summary>
public sealed class RecipeFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Trials = 3000;

    private const string Full = """
        version: 1
        name: fuzzed
        model: ../models/tiny
        calibration:
          data: ../data/train.txt
          format: documents
          separator: "<|endoftext|>"
          take: 500
          samples: 16
          sequence_length: 96
          seed: 3
        compression:
          method: a3
          budget: 0.2
          allocation: search
          round_to: 8
        evaluation:
          data: ../data/valid.txt
          protocol: windows
          seq_len: 128
        output:
          dtype: bfloat16
        device: cpu
        """;

    private static readonly string[] Fragments =
    [
        ":", "-", "[", "]", "{", "}", "#", "&a", "*a", "!!str", "|", ">", "'", "\"", "%", "@", "`", "\t", "\n", "  ",
        "0", "-1", "1e309", "2147483648", "99999999999999999999", ".nan", "~", "null", "true", "\\u0000", "\u00e9", "\ud83d\ude00",
    ];

    private readonly TempRecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_unmutated_recipe_parses()
    {
        var result = RecipeParser.Parse(Full, folder.RecipePath, checkFiles: false);

        Assert.True(result.Success, string.Join("\n", result.Errors.Select(error => $"{error.Line}: {error.Code} {error.Message}")));
    }

    [Fact]
    public void Every_mutated_recipe_gets_a_recipe_or_located_errors_and_never_an_exception()
    {
        var random = new Random(12);
        int parsed = 0, refused = 0;
        var crashes = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var text = Mutate(Full, random);
            try
            {
                var result = RecipeParser.Parse(text, folder.RecipePath, checkFiles: false);
                if (result.Success)
                {
                    parsed++;
                }
                else
                {
                    refused++;
                    Assert.All(result.Errors, error => Assert.True(error.Line >= 0 && error.Column >= 0 && error.Code.StartsWith("A3", StringComparison.Ordinal), $"{error.Code} at {error.Line},{error.Column}"));
                }
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                crashes.Add($"trial {trial}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        output.WriteLine($"{Trials} trials: {parsed} parsed, {refused} refused with located errors, {crashes.Count} exceptions");
        Assert.True(crashes.Count == 0, string.Join("\n", crashes.Take(10)));
        Assert.True(refused > Trials / 4, "the mutations reach the validator, not only harmless spots");
    }

    /// <summary>One to four edits: insert a fragment, delete a span, duplicate or drop a line, truncate, or nest a value deeply.</summary>
    private static string Mutate(string text, Random random)
    {
        var edits = random.Next(1, 5);
        for (var edit = 0; edit < edits; edit++)
        {
            var at = random.Next(text.Length + 1);
            var lines = text.Split('\n').ToList();
            var line = random.Next(lines.Count);
            text = random.Next(7) switch
            {
                0 => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                1 => text.Remove(Math.Min(at, text.Length - 1 < 0 ? 0 : at), Math.Min(random.Next(1, 12), Math.Max(0, text.Length - at))),
                2 => string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))),
                3 => string.Join('\n', lines.Where((_, index) => index != line)),
                4 => text[..at],
                5 => text.Insert(at, string.Concat(Enumerable.Repeat("[", random.Next(1, 200)))),
                _ => text.Insert(at, new string('x', random.Next(1, 5000))),
            };
        }

        return text;
    }
}
