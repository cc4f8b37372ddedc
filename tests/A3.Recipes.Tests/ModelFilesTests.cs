namespace A3.Recipes.Tests;

/// <summary>Which files make up a model, which one is its tokenizer, and which tokenizer files a written folder carries.</summary>
public sealed class ModelFilesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("a3-model-files-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_folder_is_every_file_in_it_named_by_relative_path_in_ordinal_order()
    {
        var model = Write("model/config.json", "model/model.safetensors", "model/tokenizer.model", "model/B.txt", "model/a.txt", "model/sub/deeper/x.json");

        var files = ModelFiles.Of(model);

        Assert.Equal(["B.txt", "a.txt", "config.json", "model.safetensors", "sub/deeper/x.json", "tokenizer.model"], files.Select(f => f.Name));
        Assert.Equal(Path.Combine(model, "sub", "deeper", "x.json"), files.Single(f => f.Name == "sub/deeper/x.json").Path);
    }

    [Fact]
    public void A_folder_named_with_a_trailing_separator_gives_the_same_names()
    {
        var model = Write("model/config.json", "model/sub/x.json");

        Assert.Equal(["config.json", "sub/x.json"], ModelFiles.Of(model + Path.DirectorySeparatorChar).Select(f => f.Name));
    }

    [SkippableFact]
    public void Links_in_a_folder_count_as_the_files_they_reach()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs a privilege on Windows");
        var model = Write("model/config.json", "elsewhere/weights.safetensors", "elsewhere/shards/part.safetensors");
        File.CreateSymbolicLink(Path.Combine(model, "model.safetensors"), Path.Combine(root, "elsewhere", "weights.safetensors"));
        Directory.CreateSymbolicLink(Path.Combine(model, "shards"), Path.Combine(root, "elsewhere", "shards"));

        var files = ModelFiles.Of(model);

        Assert.Equal(["config.json", "model.safetensors", "shards/part.safetensors"], files.Select(f => f.Name));
        Assert.Equal(Path.Combine(model, "shards", "part.safetensors"), files[2].Path);
    }

    [Fact]
    public void A_checkpoint_is_the_bin_and_every_tokenizer_beside_it_in_ordinal_order()
    {
        var folder = Write("llama2c/stories.bin", "llama2c/tokenizer.model", "llama2c/tok512.model", "llama2c/tok512.bin", "llama2c/tok32000.bin", "llama2c/config.json", "llama2c/tokenizer.json", "llama2c/notes.txt");
        var checkpoint = Path.Combine(folder, "stories.bin");

        var files = ModelFiles.Of(checkpoint);

        Assert.Equal(["stories.bin", "tok32000.bin", "tok512.bin", "tok512.model", "tokenizer.model"], files.Select(f => f.Name));
        Assert.Equal(checkpoint, files[0].Path);
        Assert.Equal(Path.Combine(folder, "tokenizer.model"), files[4].Path);
    }

    [Fact]
    public void A_checkpoint_named_like_a_tokenizer_is_listed_once()
    {
        var folder = Write("llama2c/tok-model.bin", "llama2c/tok512.model");

        Assert.Equal(["tok-model.bin", "tok512.model"], ModelFiles.Of(Path.Combine(folder, "tok-model.bin")).Select(f => f.Name));
    }

    [Fact]
    public void A_missing_checkpoint_is_still_listed_so_the_build_sees_it_missing()
    {
        var missing = Path.Combine(root, "absent", "model.bin");

        Assert.Equal([missing], ModelFiles.Of(missing).Select(f => f.Path));
    }

    [Theory]
    [InlineData(true, "tokenizer.json", TokenizerFormat.TokenizerJson)]
    [InlineData(false, "tokenizer.model", TokenizerFormat.SentencePieceModel)]
    public void A_folder_with_both_tokenizers_takes_the_json_only_when_it_is_byte_level(bool byteLevel, string expected, TokenizerFormat format)
    {
        var model = Write("model/tokenizer.json", "model/tokenizer.model", "model/tok512.bin");
        var asked = new List<string>();

        var tokenizer = ModelFiles.FindTokenizer(model, json => { asked.Add(json); return byteLevel; });

        Assert.Equal(Path.Combine(model, expected), tokenizer?.Path);
        Assert.Equal(format, tokenizer?.Format);
        Assert.Equal([Path.Combine(model, "tokenizer.json")], asked);
    }

    [Fact]
    public void A_folder_with_only_a_tokenizer_json_takes_it_without_reading_it()
    {
        var model = Write("model/tokenizer.json", "model/tok512.bin");

        var tokenizer = ModelFiles.FindTokenizer(model, _ => throw new InvalidOperationException("the JSON need not be read"));

        Assert.Equal(TokenizerFormat.TokenizerJson, tokenizer?.Format);
    }

    [Fact]
    public void A_folder_without_a_hugging_face_tokenizer_takes_its_first_tok_bin()
    {
        var model = Write("model/tokb.bin", "model/toka.bin", "model/config.json");

        var tokenizer = ModelFiles.FindTokenizer(model, NeverAsked);

        Assert.Equal(Path.Combine(model, "toka.bin"), tokenizer?.Path);
        Assert.Equal(TokenizerFormat.Llama2cBinary, tokenizer?.Format);
    }

    [Fact]
    public void A_folder_tok_model_is_no_tokenizer_to_load_but_is_carried_as_tokenizer_model()
    {
        // The reader of a folder never looked for tok*.model; a folder written from one has it as tokenizer.model.
        var model = Write("model/tok512.model", "model/config.json");

        Assert.Null(ModelFiles.FindTokenizer(model, NeverAsked));
        var carried = Assert.Single(ModelFiles.CarriedTokenizerFiles(model));
        Assert.Equal(("tokenizer.model", Path.Combine(model, "tok512.model")), (carried.Name, carried.Path));
    }

    [Theory]
    [InlineData(new[] { "tokenizer.model", "tok512.model", "tok512.bin" }, "tokenizer.model", TokenizerFormat.SentencePieceModel)]
    [InlineData(new[] { "tokb.model", "toka.model", "tok512.bin" }, "toka.model", TokenizerFormat.SentencePieceModel)]
    [InlineData(new[] { "tokb.bin", "toka.bin", "tokenizer.json" }, "toka.bin", TokenizerFormat.Llama2cBinary)]
    public void A_checkpoint_prefers_the_sentencepiece_model_beside_it_then_the_first_tok_bin(string[] beside, string expected, TokenizerFormat format)
    {
        var folder = Write(["llama2c/stories.bin", .. beside.Select(name => "llama2c/" + name)]);

        var tokenizer = ModelFiles.FindTokenizer(Path.Combine(folder, "stories.bin"), NeverAsked);

        Assert.Equal(Path.Combine(folder, expected), tokenizer?.Path);
        Assert.Equal(format, tokenizer?.Format);
    }

    [Fact]
    public void A_checkpoint_without_a_tokenizer_beside_it_has_none()
    {
        var folder = Write("llama2c/stories.bin", "llama2c/tokenizer.json");

        Assert.Null(ModelFiles.FindTokenizer(Path.Combine(folder, "stories.bin"), NeverAsked));
        Assert.Empty(ModelFiles.CarriedTokenizerFiles(Path.Combine(folder, "stories.bin")));
    }

    [Theory]
    [InlineData("tokenizer.json", TokenizerFormat.TokenizerJson)]
    [InlineData("Tokenizer.JSON", TokenizerFormat.TokenizerJson)]
    [InlineData("llama2.model", TokenizerFormat.SentencePieceModel)]
    [InlineData("tok512.bin", TokenizerFormat.Llama2cBinary)]
    [InlineData("TOK512.BIN", TokenizerFormat.Llama2cBinary)]
    public void A_tokenizer_file_is_its_own_tokenizer(string name, TokenizerFormat format)
    {
        var folder = Write("files/" + name, "files/tokenizer.model");

        var tokenizer = ModelFiles.FindTokenizer(Path.Combine(folder, name), NeverAsked);

        Assert.Equal(Path.Combine(folder, name), tokenizer?.Path);
        Assert.Equal(format, tokenizer?.Format);
    }

    [Fact]
    public void A_missing_path_has_no_tokenizer_and_carries_nothing()
    {
        var missing = Path.Combine(root, "absent");

        Assert.Null(ModelFiles.FindTokenizer(missing, NeverAsked));
        Assert.Empty(ModelFiles.CarriedTokenizerFiles(missing));
    }

    [Fact]
    public void A_hugging_face_folder_carries_its_tokenizer_and_generation_files_under_their_names()
    {
        var model = Write(
            "model/generation_config.json", "model/special_tokens_map.json", "model/tokenizer_config.json", "model/tokenizer.json",
            "model/tokenizer.model", "model/tok512.bin", "model/config.json", "model/model.safetensors");

        var carried = ModelFiles.CarriedTokenizerFiles(model);

        Assert.Equal(["tokenizer.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"], carried.Select(f => f.Name));
        Assert.All(carried, file => Assert.Equal(Path.Combine(model, file.Name), file.Path));
        Assert.Equal(ModelFiles.TokenizerAndGenerationFileNames, carried.Select(f => f.Name));
    }

    [Fact]
    public void A_folder_of_a_llama2c_export_carries_its_tokenizer_after_the_generation_files()
    {
        var model = Write("model/generation_config.json", "model/tokb.bin", "model/toka.bin");

        var carried = ModelFiles.CarriedTokenizerFiles(model);

        Assert.Equal([("generation_config.json", "generation_config.json"), ("toka.bin", "toka.bin")], carried.Select(f => (f.Name, Path.GetFileName(f.Path))));
    }

    [Fact]
    public void A_folder_with_generation_files_but_no_tokenizer_carries_nothing()
    {
        var model = Write("model/tokenizer_config.json", "model/generation_config.json");

        Assert.Empty(ModelFiles.CarriedTokenizerFiles(model));
    }

    [Theory]
    [InlineData(new[] { "tokenizer.model", "tok512.model", "tok512.bin" }, "tokenizer.model", "tokenizer.model")]
    [InlineData(new[] { "tok512.model", "tok512.bin" }, "tok512.model", "tokenizer.model")]
    [InlineData(new[] { "tok512.bin" }, "tok512.bin", "tok512.bin")]
    public void A_checkpoint_carries_its_tokenizer_sentencepiece_as_tokenizer_model_and_tok_bin_under_its_name(string[] beside, string source, string name)
    {
        var folder = Write(["llama2c/stories.bin", .. beside.Select(file => "llama2c/" + file)]);

        var carried = Assert.Single(ModelFiles.CarriedTokenizerFiles(Path.Combine(folder, "stories.bin")));

        Assert.Equal((name, Path.Combine(folder, source)), (carried.Name, carried.Path));
    }

    [Theory]
    [InlineData("Tokenizer.JSON", "tokenizer.json")]
    [InlineData("llama2.model", "tokenizer.model")]
    [InlineData("TOK512.BIN", "TOK512.BIN")]
    public void A_tokenizer_file_is_carried_under_the_name_a_reader_looks_for(string file, string name)
    {
        var folder = Write("files/" + file);

        var carried = Assert.Single(ModelFiles.CarriedTokenizerFiles(Path.Combine(folder, file)));

        Assert.Equal(name, carried.Name);
    }

    private static bool NeverAsked(string json) => throw new InvalidOperationException($"'{json}' should not be read");

    /// <summary>Creates each relative file under the test folder and returns the folder of the first.</summary>
    private string Write(params string[] files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }

        return Path.GetDirectoryName(Path.Combine(root, files[0]))!;
    }
}
