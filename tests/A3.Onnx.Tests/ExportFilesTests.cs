using A3.Runtime;
using A3.Runtime.Model;
using A3.Runtime.Progress;
using A3.Tests;
using Onnx;

namespace A3.Onnx.Tests;

/// <summary>What an export writes: external data, deterministic bytes, one shared tied weight, standard operators, and nothing on failure.</summary>
public sealed class ExportFilesTests : IDisposable
{
    /// <summary>The operators docs/ONNX.md lists; a graph using any other fails this test until the doc says so.</summary>
    private static readonly string[] DocumentedOperators =
    [
        "Add", "And", "Cast", "Concat", "Cos", "Gather", "Gemm", "LessOrEqual", "MatMul", "Mul", "Range", "Reciprocal", "ReduceMean",
        "Reshape", "Shape", "Sigmoid", "Sin", "Slice", "Softmax", "Sqrt", "Sub", "Transpose", "Unsqueeze", "Where",
    ];

    private readonly string scratch = Directory.CreateTempSubdirectory("a3-onnx-files-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public void External_data_loads_in_onnx_runtime_with_the_same_logits()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var inline = OnnxExporter.Export(model, Path.Combine(scratch, "inline"));
        var external = OnnxExporter.Export(model, Path.Combine(scratch, "external"), new OnnxExportOptions { ExternalDataThresholdBytes = 0 });

        Assert.NotNull(external.ExternalDataFile);
        // The weights moved out whole: the graph shrank by their bytes, give or take the external data entries.
        var inlineBytes = new FileInfo(inline.ModelFile).Length;
        var graphBytes = new FileInfo(external.ModelFile).Length;
        Assert.InRange(graphBytes + external.WeightBytes, inlineBytes - 1024, inlineBytes + (16 * 1024));
        Assert.True(new FileInfo(external.ExternalDataFile!).Length >= external.WeightBytes);
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(external.ModelFile)).Graph;
        var weights = graph.Initializer.Where(tensor => tensor.DataLocation == TensorProto.Types.DataLocation.External).ToList();
        Assert.Equal(ModelTensorShapes.Expected(Config(model)).Count, weights.Count);
        foreach (var tensor in weights)
        {
            var entries = tensor.ExternalData.ToDictionary(entry => entry.Key, entry => entry.Value);
            Assert.Equal(OnnxExporter.ExternalDataFileName, entries["location"]);
            Assert.Equal(0, long.Parse(entries["offset"], System.Globalization.CultureInfo.InvariantCulture) % 4096);
            Assert.Equal(tensor.Dims.Aggregate(4L, (product, dim) => product * dim), long.Parse(entries["length"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(tensor.RawData.IsEmpty);
        }

        var ids = RuntimeReference.StoryTokens(model, 32);
        using var inlineRun = new OnnxRun(inline.ModelFile, Config(model));
        using var externalRun = new OnnxRun(external.ModelFile, Config(model));
        Assert.Equal(inlineRun.Step(ids, 1), externalRun.Step(ids, 1));
    }

    [SkippableTheory]
    [InlineData(OnnxExportOptions.DefaultExternalDataThresholdBytes)]
    [InlineData(0L)]
    public void Exporting_twice_gives_identical_bytes(long threshold)
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var options = new OnnxExportOptions { ExternalDataThresholdBytes = threshold };
        var first = OnnxExporter.Export(model, Path.Combine(scratch, "first"), options);
        var second = OnnxExporter.Export(model, Path.Combine(scratch, "second"), options);

        var names = Directory.GetFiles(first.OutputFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(second.OutputFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(first.OutputFolder, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second.OutputFolder, name!))), $"{name} differs");
        }
    }

    [SkippableFact]
    public void The_graph_uses_opset_17_documented_operators_and_one_initializer_for_the_tied_embedding()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var result = OnnxExporter.Export(model, Path.Combine(scratch, "onnx"));
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(result.ModelFile));

        Assert.Equal([(string.Empty, 17L)], proto.OpsetImport.Select(opset => (opset.Domain, opset.Version)));
        Assert.All(proto.Graph.Node, node => Assert.Contains(node.OpType, DocumentedOperators));
        Assert.All(proto.Graph.Node, node => Assert.Equal(string.Empty, node.Domain));
        var config = Config(model);
        Assert.True(config.TieWordEmbeddings);
        Assert.Single(proto.Graph.Initializer, tensor => tensor.Dims.SequenceEqual([(long)config.VocabSize, config.HiddenSize]));
        Assert.DoesNotContain(proto.Graph.Initializer, tensor => tensor.Name == "lm_head.weight");
        var embedding = "model.embed_tokens.weight";
        Assert.Contains(proto.Graph.Node, node => node.OpType == "Gather" && node.Input[0] == embedding);
        Assert.Contains(proto.Graph.Node, node => node.OpType == "Gemm" && node.Input[1] == embedding);
        Assert.Equal(
            ["input_ids", "attention_mask", "position_ids", .. Enumerable.Range(0, config.NumLayers).SelectMany(i => new[] { $"past_key_values.{i}.key", $"past_key_values.{i}.value" })],
            proto.Graph.Input.Select(input => input.Name));
        Assert.Equal(
            ["logits", .. Enumerable.Range(0, config.NumLayers).SelectMany(i => new[] { $"present.{i}.key", $"present.{i}.value" })],
            proto.Graph.Output.Select(output => output.Name));
    }

    [SkippableFact]
    public void A_cancelled_export_leaves_no_folder_and_an_earlier_export_untouched_until_a_complete_one_replaces_it()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var output = Path.Combine(scratch, "onnx");
        using var cancellation = new CancellationTokenSource();
        var reports = new List<ProgressUpdate>();
        var progress = new SynchronousProgress(update =>
        {
            reports.Add(update);
            if (update.Completed == 3)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => OnnxExporter.Export(model, output, new OnnxExportOptions { ExternalDataThresholdBytes = 0 }, progress, cancellation.Token));
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
        Assert.Equal(3, reports.Count);

        var earlier = OnnxExporter.Export(model, output);
        var bytes = File.ReadAllBytes(earlier.ModelFile);
        using var again = new CancellationTokenSource();
        again.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => OnnxExporter.Export(model, output, cancellationToken: again.Token));
        Assert.Equal(bytes, File.ReadAllBytes(earlier.ModelFile));
        Assert.Equal([output], Directory.GetFileSystemEntries(scratch));

        // A complete export replaces the earlier one.
        var replaced = OnnxExporter.Export(model, output, new OnnxExportOptions { ExternalDataThresholdBytes = 0 });
        Assert.True(File.Exists(replaced.ExternalDataFile));
        Assert.True(new FileInfo(replaced.ModelFile).Length < bytes.Length);
        Assert.Equal([output], Directory.GetFileSystemEntries(scratch));
    }

    [SkippableFact]
    public void A_malformed_model_fails_with_its_code_before_any_folder_is_made()
    {
        var source = Fixtures.Require("hf/stories260K-llama");
        var broken = Path.Combine(scratch, "broken");
        Directory.CreateDirectory(broken);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
        }

        // A header whose JSON is cut short.
        File.WriteAllBytes(Path.Combine(broken, "model.safetensors"), [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'"', 0, 0, 0, 0, 0, 0]);
        var output = Path.Combine(scratch, "onnx");

        var error = Assert.Throws<A3InputException>(() => OnnxExporter.Export(broken, output));
        Assert.Equal(A3ErrorCodes.InvalidSafetensors, error.Code);
        Assert.False(Directory.Exists(output));
    }

    [SkippableFact]
    public void The_model_folder_and_foreign_folders_are_refused_as_outputs()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var foreign = Path.Combine(scratch, "foreign");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "notes.txt"), "mine");

        Assert.Throws<InvalidSettingException>(() => OnnxExporter.Export(model, model));
        Assert.Throws<InvalidSettingException>(() => OnnxExporter.Export(model, Path.Combine(model, "onnx")));
        Assert.Throws<InvalidSettingException>(() => OnnxExporter.Export(model, Path.GetDirectoryName(model)!));
        Assert.Throws<InvalidSettingException>(() => OnnxExporter.Export(model, foreign));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(foreign, "notes.txt")));
    }

    private static ModelConfig Config(string model)
    {
        using var checkpoint = ModelCheckpoint.Open(model);
        return checkpoint.Config;
    }

    /// <summary>Calls back on the reporting thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SynchronousProgress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }
}
