using System;
using System.Collections.Generic;
using System.IO;
using A3.Recipes;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace A3.Sdk;

/// <summary>
/// Reads every <c>A3Compress</c> recipe in-process, before any compressor starts: reports each recipe
/// diagnostic as an MSBuild error or warning at its YAML line and column, resolves where the compressed
/// model goes, and lists the files the compression depends on for the target's Inputs/Outputs check.
/// </summary>
public sealed class ResolveA3Recipes : Task
{
    /// <summary>Gets or sets the <c>A3Compress</c> items (recipe files with <c>OutputPath</c>, <c>Device</c> and copy metadata).</summary>
    [Required]
    public ITaskItem[] Recipes { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Gets or sets the folder compressed models are produced in, one subfolder per <c>OutputPath</c>.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    /// <summary>Gets or sets the project file, where errors about item metadata point.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>
    /// Gets the resolved recipes: the recipe's full path with the item's metadata plus <c>Recipe</c> (the full path again, for the input items), <c>RecipeName</c>,
    /// <c>OutputPath</c> (defaulted and normalised to forward slashes), <c>OutputDirectory</c> (the folder
    /// the compressor writes), <c>StampFile</c>, <c>SettingsFile</c> and <c>ShippedFolder</c> (what of <c>OutputDirectory</c> goes to
    /// <c>bin/</c> and <c>publish/</c>: empty for all of it, or the ONNX subfolder with a trailing slash when the recipe's
    /// <c>output.formats</c> leaves safetensors out).
    /// </summary>
    [Output]
    public ITaskItem[] ResolvedRecipes { get; private set; } = Array.Empty<ITaskItem>();

    /// <summary>Gets every input file of every recipe, each carrying its recipe's metadata (batch on <c>StampFile</c>).</summary>
    [Output]
    public ITaskItem[] InputFiles { get; private set; } = Array.Empty<ITaskItem>();

    /// <inheritdoc />
    public override bool Execute()
    {
        var resolved = new List<ITaskItem>();
        var inputs = new List<ITaskItem>();
        var outputPaths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in Recipes)
        {
            var recipePath = item.GetMetadata("FullPath");
            var parsed = RecipeLoader.Load(recipePath);
            foreach (var diagnostic in parsed.Diagnostics)
            {
                Report(diagnostic);
            }

            if (parsed.Recipe is not Recipe recipe)
            {
                continue;
            }

            var outputPath = recipe.ResolveOutputPath(item.GetMetadata("OutputPath"));
            if (outputPath is null)
            {
                LogItemError(SdkErrorCodes.InvalidOutputPath, $"the OutputPath \"{item.GetMetadata("OutputPath")}\" of A3Compress item {item.ItemSpec} must be a relative folder inside the output directory (no '..', not rooted)");
                continue;
            }

            if (outputPaths.TryGetValue(outputPath, out var other))
            {
                LogItemError(SdkErrorCodes.DuplicateOutputPath, $"A3Compress items {other} and {item.ItemSpec} both write {outputPath}; give one of them another OutputPath");
                continue;
            }

            outputPaths.Add(outputPath, item.ItemSpec);
            var result = Resolve(item, recipe, recipePath, outputPath);
            resolved.Add(result);
            // The files the artifact key hashes: a change to any of them recompresses (for a llama2.c .bin, the tokenizer beside it too).
            foreach (var file in recipe.GetInputs())
            {
                var input = new TaskItem(file.Path);
                result.CopyMetadataTo(input);
                inputs.Add(input);
            }
        }

        ResolvedRecipes = resolved.ToArray();
        InputFiles = inputs.ToArray();
        return !Log.HasLoggedErrors;
    }

    private ITaskItem Resolve(ITaskItem item, Recipe recipe, string recipePath, string outputPath)
    {
        var root = Path.GetFullPath(IntermediateDirectory);
        var outputDirectory = Path.Combine(root, outputPath.Replace('/', Path.DirectorySeparatorChar));
        var result = new TaskItem(recipePath);
        item.CopyMetadataTo(result);
        result.SetMetadata("Recipe", recipePath);
        result.SetMetadata("RecipeName", recipe.Name);
        result.SetMetadata("OutputPath", outputPath);
        result.SetMetadata("OutputDirectory", outputDirectory + Path.DirectorySeparatorChar);
        var stamp = outputDirectory + ".a3stamp";
        if (File.Exists(stamp) && !Directory.Exists(outputDirectory))
        {
            // The model was deleted by hand: its stamp no longer vouches for anything.
            File.Delete(stamp);
        }

        result.SetMetadata("StampFile", stamp);
        result.SetMetadata("SettingsFile", outputDirectory + ".a3settings");
        result.SetMetadata("ShippedFolder", recipe.Output.Formats.Contains(RecipeOutputFormat.Safetensors) ? string.Empty : ModelFiles.OnnxFolderName + "/");
        return result;
    }

    private void Report(RecipeDiagnostic diagnostic)
    {
        if (diagnostic.Severity == RecipeSeverity.Error)
        {
            Log.LogError(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
        }
        else
        {
            Log.LogWarning(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
        }
    }

    private void LogItemError(string code, string message) =>
        Log.LogError(null, code, null, ProjectFile ?? BuildEngine.ProjectFileOfTaskNode, 0, 0, 0, 0, message);
}
