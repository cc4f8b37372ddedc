using A3.Runtime.Model;
using A3.Runtime.Tests.IO;
using A3.Tests;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Runtime.Tests.Fuzz;

/// <summary>
/// Seeded corruptions of a real model folder (stories260K): bytes of the safetensors header and of config.json
/// changed, cut or repeated, and tokenizer bytes changed. Opening the folder and reading every tensor must either
/// work or end in <see cref="A3InputException"/>, never in another exception.
/// </summary>
public sealed class ModelFolderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Trials = 1000;

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [SkippableFact]
    public void A_corrupted_model_folder_opens_or_is_refused_as_input_never_with_another_exception()
    {
        var source = Fixtures.Require("hf/stories260K-llama");
        var files = new[] { "config.json", "model.safetensors", "tokenizer.model" }.ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(source, name)));
        var headerLength = 8 + (int)BitConverter.ToUInt64(files["model.safetensors"], 0);
        var random = new Random(21);
        int opened = 0, refused = 0;
        var crashes = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var target = Directory.CreateDirectory(Path.Combine(folder.Path, $"trial-{trial}")).FullName;
            var victim = files.Keys.ElementAt(random.Next(files.Count));
            foreach (var (name, bytes) in files)
            {
                // Safetensors damage stays in the header (where parsing happens); the others anywhere.
                var limit = name == "model.safetensors" ? headerLength : bytes.Length;
                File.WriteAllBytes(Path.Combine(target, name), name == victim ? Corrupt(bytes, limit, random) : bytes);
            }

            try
            {
                using var checkpoint = ModelCheckpoint.Open(target);
                foreach (var name in checkpoint.Weights.Names)
                {
                    using var tensor = checkpoint.Weights.Load(name, torch.float32, torch.CPU);
                }

                opened++;
            }
            catch (A3InputException)
            {
                refused++;
            }
            catch (Exception exception)
            {
                crashes.Add($"trial {trial} ({victim}): {exception.GetType().Name}: {exception.Message}");
            }
            finally
            {
                Directory.Delete(target, recursive: true);
            }
        }

        output.WriteLine($"{Trials} trials: {opened} opened, {refused} refused as input, {crashes.Count} other exceptions");
        Assert.True(crashes.Count == 0, string.Join("\n", crashes.Take(10)));
        Assert.True(refused > Trials / 4, "the corruptions reach the checks");
    }

    /// <summary>One to three edits inside the first <paramref name="limit"/> bytes: overwrite, delete, repeat, or cut there.</summary>
    private static byte[] Corrupt(byte[] bytes, int limit, Random random)
    {
        var result = bytes.ToList();
        for (var edit = random.Next(1, 4); edit > 0; edit--)
        {
            var at = random.Next(Math.Min(limit, result.Count));
            switch (random.Next(4))
            {
                case 0:
                    result[at] = (byte)random.Next(256);
                    break;
                case 1:
                    result.RemoveRange(at, Math.Min(random.Next(1, 16), result.Count - at));
                    break;
                case 2:
                    result.InsertRange(at, result.Skip(at).Take(random.Next(1, 16)).ToList());
                    break;
                default:
                    result.RemoveRange(at, result.Count - at);
                    break;
            }
        }

        return [.. result];
    }
}
