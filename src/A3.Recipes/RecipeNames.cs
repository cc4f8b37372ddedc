using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace A3.Recipes;

/// <summary>
/// The spelling of enum values in recipes: the kebab-case of the member name (<c>SvdLlm</c> is
/// <c>svd-llm</c>, <c>PivotedCholesky</c> is <c>pivoted-cholesky</c>). The parser, the JSON Schema, the
/// source generator, the command line and the runtime spell methods, selectors, dtypes, formats and
/// protocols through it, so a value reads the same wherever it is written.
/// </summary>
public static class RecipeNames
{
    /// <summary>Returns the recipe spelling of <paramref name="value"/>.</summary>
    /// <typeparam name="T">A recipe enum, such as <see cref="RecipeMethod"/>.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The kebab-case spelling, for example <c>svd-llm</c>.</returns>
    public static string Of<T>(T value)
        where T : struct, Enum => Kebab(value.ToString());

    /// <summary>Returns every spelling of <typeparamref name="T"/>, in declaration order.</summary>
    /// <typeparam name="T">A recipe enum, such as <see cref="RecipeMethod"/>.</typeparam>
    /// <returns>The spellings, for example <c>a3, svd, svd-llm</c>.</returns>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => Enum.GetValues(typeof(T)).Cast<T>().Select(Of).ToArray();

    /// <summary>Returns the member spelled <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <typeparam name="T">A recipe enum, such as <see cref="RecipeMethod"/>.</typeparam>
    /// <param name="name">The spelling; exact, case-sensitive.</param>
    /// <returns>The member, or <see langword="null"/> when no member is spelled so.</returns>
    public static T? Parse<T>(string name)
        where T : struct, Enum
    {
        foreach (T value in Enum.GetValues(typeof(T)))
        {
            if (string.Equals(Of(value), name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Converts a PascalCase name to kebab-case (<c>PivotedCholesky</c> to <c>pivoted-cholesky</c>).</summary>
    /// <param name="name">A PascalCase name.</param>
    /// <returns>The lower-case name with a '-' before each inner capital.</returns>
    public static string Kebab(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
