using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace A3.Recipes;

/// <summary>The spelling of enum values in recipes: the kebab-case of the member name (<c>SvdLlm</c> is <c>svd-llm</c>).</summary>
internal static class RecipeNames
{
    /// <summary>Returns the recipe spelling of <paramref name="value"/>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => Kebab(value.ToString());

    /// <summary>Returns every spelling of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => Enum.GetValues(typeof(T)).Cast<T>().Select(Of).ToArray();

    /// <summary>Returns the member spelled <paramref name="name"/>, or <see langword="null"/>.</summary>
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
    public static string Kebab(string name)
    {
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
