using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace A3.Recipes;

/// <summary>
/// The canonical form of a recipe's values, the recipe part of a cache key. Keys are sorted,
/// defaults are filled in (an unset ratio is 0 next to set ones; an override's unset ratio is the
/// model-wide one), enums are spelled as in recipes and numbers in round-trip form, so comments,
/// key order, quoting and <c>0.20</c> versus <c>0.2</c> do not change it; every value does.
/// </summary>
/// <remarks>
/// Paths are left out: the cache key hashes the bytes of the model and data files separately, so
/// the same files reached through another spelling, folder or copy give the same key, and an edited
/// file gives a new one. The name stays in because it labels the report written with the artifact.
/// </remarks>
public static class RecipeNormalizer
{
    /// <summary>Returns the canonical JSON of <paramref name="recipe"/> (compact, UTF-16 string; hash its UTF-8 bytes).</summary>
    /// <param name="recipe">A recipe without errors.</param>
    /// <returns>The canonical JSON.</returns>
    public static string Canonicalize(Recipe recipe)
    {
        if (recipe is null)
        {
            throw new ArgumentNullException(nameof(recipe));
        }

        var compression = recipe.Compression;
        bool ratios = compression.HasRatios();
        double? Inherit(double? own, double? modelWide) => own ?? modelWide ?? 0;
        var tree = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["version"] = (long)recipe.Version,
            ["name"] = recipe.Name,
            ["device"] = recipe.Device.Trim().ToLowerInvariant(),
            ["dtype"] = RecipeNames.Of(recipe.Dtype),
            ["calibration"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["format"] = RecipeNames.Of(recipe.Calibration.Format),
                ["samples"] = (long)recipe.Calibration.Samples,
                ["sequence_length"] = (long)recipe.Calibration.SequenceLength,
                ["seed"] = recipe.Calibration.Seed,
                ["skip"] = (long)recipe.Calibration.Skip,
                ["take"] = (long?)recipe.Calibration.Take,
                ["separator"] = recipe.Calibration.Separator,
                ["token_width"] = (long)recipe.Calibration.TokenWidth,
                ["selection_samples"] = (long)recipe.Calibration.SelectionSamples,
            },
            ["compression"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["method"] = RecipeNames.Of(compression.Method),
                ["qk"] = ratios ? compression.Qk ?? 0 : null,
                ["ov"] = ratios ? compression.Ov ?? 0 : null,
                ["mlp"] = ratios ? compression.Mlp ?? 0 : null,
                ["budget"] = compression.Budget,
                ["allocation"] = RecipeNames.Of(compression.AllocationOrDefault()),
                ["round_to"] = (long)compression.RoundTo,
                ["search_levels"] = (long)compression.SearchLevels,
                ["search_evaluations"] = (long)compression.SearchEvaluations,
                ["mlp_selector"] = RecipeNames.Of(compression.MlpSelector),
                ["sequential"] = compression.Sequential,
                ["overrides"] = compression.Overrides.Select(o => (object?)new SortedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["first"] = (long)o.First,
                    ["last"] = (long)o.Last,
                    ["qk"] = Inherit(o.Qk, compression.Qk),
                    ["ov"] = Inherit(o.Ov, compression.Ov),
                    ["mlp"] = Inherit(o.Mlp, compression.Mlp),
                }).ToList(),
            },
            ["output"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["dtype"] = RecipeNames.Of(recipe.Output.Dtype),
                ["formats"] = recipe.Output.Formats.OrderBy(format => format).Select(format => (object?)RecipeNames.Of(format)).ToList(),
            },
            ["evaluation"] = recipe.Evaluation is not { } evaluation ? null : new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["protocol"] = RecipeNames.Of(evaluation.Protocol),
                ["separator"] = evaluation.Separator,
                ["skip_docs"] = (long)evaluation.SkipDocs,
                ["max_docs"] = (long?)evaluation.MaxDocs,
                ["seq_len"] = (long?)evaluation.SeqLen,
                ["max_windows"] = (long?)evaluation.MaxWindows,
            },
        };
        var builder = new StringBuilder();
        Write(builder, tree);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case long integer:
                builder.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            case double number:
                // "R" round-trips, so equal doubles print equally and different ones differently.
                builder.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case string text:
                WriteString(builder, text);
                break;
            case SortedDictionary<string, object?> map:
                builder.Append('{');
                bool first = true;
                foreach (var pair in map)
                {
                    builder.Append(first ? string.Empty : ",");
                    first = false;
                    WriteString(builder, pair.Key);
                    builder.Append(':');
                    Write(builder, pair.Value);
                }

                builder.Append('}');
                break;
            case List<object?> list:
                builder.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ",");
                    Write(builder, list[i]);
                }

                builder.Append(']');
                break;
            default:
                throw new InvalidOperationException($"no canonical form for {value.GetType()}");
        }
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
