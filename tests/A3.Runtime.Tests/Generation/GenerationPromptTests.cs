using A3.Generation;
using A3.Runtime.Tests.Evaluation;

namespace A3.Runtime.Tests.Generation;

public sealed class GenerationPromptTests
{
    [Fact]
    public void Starts_with_BOS_and_caps_the_steps_at_the_context_left()
    {
        var tokenizer = new CharacterTokenizer();

        var prompt = GenerationPrompt.Create(tokenizer, "abc", maxNewTokens: 100, context: 10);

        Assert.Equal(new[] { tokenizer.BosId!.Value }.Concat(tokenizer.Encode("abc")), prompt.Ids);
        Assert.Equal(10 - 4, prompt.Steps);
    }

    [Fact]
    public void A_prompt_that_fills_the_context_is_rejected()
    {
        var error = Assert.Throws<InvalidSettingException>(() => GenerationPrompt.Create(new CharacterTokenizer(), "abc", 1, context: 4));

        Assert.Equal("prompt", error.Setting);
        Assert.Contains("is 4 tokens; the model context is 4", error.Message);
    }

    [Fact]
    public void Negative_new_tokens_are_an_argument_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GenerationPrompt.Create(new CharacterTokenizer(), "abc", -1, context: 10));
    }
}
