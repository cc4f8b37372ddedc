using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Tests.IO;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

/// <summary><see cref="ModelCheckpoint.VerifyTensors"/>: the pre-flight check of every tensor's presence and shape from the headers.</summary>
public sealed class TensorVerificationTests
{
    [SkippableFact]
    public void The_fixture_passes()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require(Stories260KVariants.HfFixture));

        checkpoint.VerifyTensors();
    }

    [SkippableFact]
    public void A_missing_and_a_misshapen_tensor_are_both_named()
    {
        var source = Fixtures.Require(Stories260KVariants.HfFixture);
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        var (_, tensors) = Stories260KVariants.Fixture();
        tensors.Remove("model.layers.2.mlp.up_proj.weight");
        tensors["model.layers.4.self_attn.k_proj.weight"] = tensors["model.layers.4.self_attn.k_proj.weight"].narrow(0, 0, 16);
        foreach (var file in new[] { "config.json", "tokenizer.model" })
        {
            File.Copy(Path.Combine(source, file), folder.File(file));
        }

        SafetensorsWriter.Write(folder.File("model.safetensors"), tensors);
        using var checkpoint = ModelCheckpoint.Open(folder.Path);

        var error = Assert.Throws<A3InputException>(checkpoint.VerifyTensors);

        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Equal(folder.Path, error.FilePath);
        Assert.Contains("'model.layers.2.mlp.up_proj.weight' is missing (expected shape [172, 64])", error.Message, StringComparison.Ordinal);
        Assert.Contains("'model.layers.4.self_attn.k_proj.weight' has shape [16, 64], expected [32, 64]", error.Message, StringComparison.Ordinal);
    }
}
