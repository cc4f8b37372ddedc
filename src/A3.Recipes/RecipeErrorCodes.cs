namespace A3.Recipes;

/// <summary>Diagnostic codes of recipe validation; stable once released. The runtime's codes are A30xx, the recipe's A31xx.</summary>
public static class RecipeErrorCodes
{
    /// <summary>A key the format does not define (often a typo; the message suggests the nearest key).</summary>
    public const string UnknownKey = "A3100";

    /// <summary>A value of the wrong YAML type: a string where a number belongs, a list where a mapping belongs.</summary>
    public const string WrongType = "A3101";

    /// <summary>A number outside its range: a ratio outside [0, 1), a budget outside (0, 1), a negative count.</summary>
    public const string OutOfRange = "A3102";

    /// <summary>A required key is missing or empty.</summary>
    public const string MissingRequired = "A3103";

    /// <summary>A model or data file named by the recipe does not exist (resolved against the recipe's folder).</summary>
    public const string FileNotFound = "A3104";

    /// <summary>Options that contradict each other, such as a budget together with explicit ratios.</summary>
    public const string Conflict = "A3105";

    /// <summary>A recipe format version this tool does not read.</summary>
    public const string UnsupportedVersion = "A3106";

    /// <summary>The text is not valid YAML.</summary>
    public const string InvalidYaml = "A3107";

    /// <summary>A value outside its allowed set: an unknown method, format or dtype, a malformed layer range or device.</summary>
    public const string InvalidValue = "A3108";
}
