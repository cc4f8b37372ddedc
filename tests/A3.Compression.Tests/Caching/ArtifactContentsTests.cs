using A3.Compression.Caching;

namespace A3.Compression.Tests.Caching;

/// <summary>What a cache entry (or a folder materialised from one) must hold to be served or to verify: exactly the files its manifest lists.</summary>
public sealed class ArtifactContentsTests : IDisposable
{
    private readonly string entry = Directory.CreateTempSubdirectory("a3-artifact-contents-").FullName;
    private readonly string secret = Path.Combine(Path.GetTempPath(), $"a3-secret-{Guid.NewGuid():N}");

    public ArtifactContentsTests()
    {
        File.WriteAllText(Path.Combine(entry, "config.json"), "{}");
        File.WriteAllText(Path.Combine(entry, "model.safetensors"), "weights");
        File.WriteAllText(Path.Combine(entry, "tokenizer.model"), "tokenizer");
        File.WriteAllText(Path.Combine(entry, "a3-report.json"), "{}");
        File.WriteAllText(secret, "root:secret");
    }

    public void Dispose()
    {
        Directory.Delete(entry, recursive: true);
        File.Delete(secret);
    }

    [Fact]
    public void An_entry_holding_exactly_its_listed_files_has_no_problem()
    {
        var manifest = Manifest();

        Assert.Equal(["a3-report.json", "config.json", "model.safetensors", "tokenizer.model"], manifest.Outputs.Select(output => output.File));
        Assert.Empty(ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void An_extra_file_is_a_problem()
    {
        var manifest = Manifest();
        File.WriteAllText(Path.Combine(entry, "extra.txt"), "not built");

        Assert.Equal(["extra.txt is not listed in the manifest"], ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void A_link_in_place_of_a_listed_file_or_beside_them_is_a_problem()
    {
        var manifest = Manifest();
        File.Delete(Path.Combine(entry, "tokenizer.model"));
        File.CreateSymbolicLink(Path.Combine(entry, "tokenizer.model"), secret);
        File.CreateSymbolicLink(Path.Combine(entry, "shadow"), secret);

        Assert.Equal(["shadow is not listed in the manifest", "tokenizer.model is a link, not a file"], ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void The_onnx_export_is_listed_file_by_file_and_checked_like_the_rest()
    {
        var onnx = Directory.CreateDirectory(Path.Combine(entry, "onnx")).FullName;
        File.WriteAllText(Path.Combine(onnx, "model.onnx"), "graph");
        File.WriteAllText(Path.Combine(onnx, "config.json"), "{}");
        var manifest = Manifest();

        Assert.Equal(["a3-report.json", "config.json", "model.safetensors", "onnx/config.json", "onnx/model.onnx", "tokenizer.model"], manifest.Outputs.Select(output => output.File));
        Assert.Empty(ArtifactContents.Problems(manifest, entry));

        File.WriteAllText(Path.Combine(onnx, "model.onnx"), "tampered");
        File.WriteAllText(Path.Combine(onnx, "planted.txt"), "not built");
        Directory.CreateDirectory(Path.Combine(onnx, "deeper"));

        Assert.Equal(
            ["onnx/deeper is not listed in the manifest", "onnx/planted.txt is not listed in the manifest", "onnx/model.onnx changed"],
            ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void Another_subfolder_or_a_path_outside_the_onnx_folder_cannot_be_listed()
    {
        var manifest = Manifest();
        manifest.Outputs.Add(new ArtifactOutput("weights/model.safetensors", "00"));
        manifest.Outputs.Add(new ArtifactOutput("onnx/../../etc/passwd", "00"));

        Assert.Equal(
            ["the manifest lists 'weights/model.safetensors', which is not a file name of a model folder", "the manifest lists 'onnx/../../etc/passwd', which is not a file name of a model folder"],
            ArtifactContents.Problems(manifest, entry).Take(2));
    }

    [Fact]
    public void A_folder_is_a_problem()
    {
        var manifest = Manifest();
        Directory.CreateDirectory(Path.Combine(entry, "nested"));

        Assert.Equal(["nested is not listed in the manifest"], ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void A_manifest_that_omits_the_weights_is_a_problem_even_when_the_file_is_gone_too()
    {
        var manifest = Manifest();
        manifest.Outputs.RemoveAll(output => output.File == "model.safetensors");
        File.Delete(Path.Combine(entry, "model.safetensors"));

        Assert.Equal(["the manifest does not list model.safetensors (or model.safetensors.index.json)"], ArtifactContents.Problems(manifest, entry));
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("a3-report.json")]
    public void A_manifest_must_list_the_configuration_and_the_report(string required)
    {
        var manifest = Manifest();
        manifest.Outputs.RemoveAll(output => output.File == required);

        Assert.Contains($"the manifest does not list {required}", ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void A_listed_path_outside_the_folder_is_a_problem_and_is_never_read()
    {
        var manifest = Manifest();
        manifest.Outputs.Add(new ArtifactOutput("../" + Path.GetFileName(secret), "0"));

        Assert.Equal([$"the manifest lists '../{Path.GetFileName(secret)}', which is not a file name of a model folder"], ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void Changed_and_missing_files_are_problems()
    {
        var manifest = Manifest();
        File.WriteAllText(Path.Combine(entry, "model.safetensors"), "corrupt");
        File.Delete(Path.Combine(entry, "tokenizer.model"));

        Assert.Equal(["model.safetensors changed", "tokenizer.model is missing"], ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void Every_shard_a_listed_index_names_must_be_listed()
    {
        File.Delete(Path.Combine(entry, "model.safetensors"));
        File.WriteAllText(Path.Combine(entry, "model.safetensors.index.json"), """{"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}""");
        File.WriteAllText(Path.Combine(entry, "model-00001-of-00002.safetensors"), "shard");
        var manifest = Manifest();

        Assert.Equal(["the manifest does not list model-00002-of-00002.safetensors, a shard model.safetensors.index.json names"], ArtifactContents.Problems(manifest, entry));
    }

    [Fact]
    public void A_corrupt_entry_with_a_link_to_a_folder_is_dropped_without_touching_that_folder()
    {
        var root = Directory.CreateTempSubdirectory("a3-artifact-root-").FullName;
        var precious = Directory.CreateTempSubdirectory("a3-precious-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(precious, "keep.txt"), "keep");
            var cache = new ArtifactCache(root);
            var key = "k" + Guid.NewGuid().ToString("N");
            Directory.Move(entry, cache.EntryPath(key));
            Directory.CreateDirectory(entry);
            new ArtifactManifest { Key = key, Outputs = ArtifactContents.Hash(cache.EntryPath(key)) }.Write(Path.Combine(cache.EntryPath(key), ArtifactManifest.FileName));
            Directory.CreateSymbolicLink(Path.Combine(cache.EntryPath(key), "home"), precious);
            var notes = new List<string>();

            Assert.Null(cache.TryGet(key, notes.Add));

            Assert.Equal([$"cache entry {key} is corrupt (home is not listed in the manifest); rebuilding"], notes);
            Assert.False(Directory.Exists(cache.EntryPath(key)));
            Assert.Equal("keep", File.ReadAllText(Path.Combine(precious, "keep.txt")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(precious, recursive: true);
        }
    }

    private ArtifactManifest Manifest()
    {
        var manifest = new ArtifactManifest { Key = "key", Outputs = ArtifactContents.Hash(entry) };
        manifest.Write(Path.Combine(entry, ArtifactManifest.FileName));
        return manifest;
    }
}
