using A3.Generation;
using A3.Runtime.Tests.Evaluation;

namespace A3.Runtime.Tests.Generation;

public sealed class StopTokenIdsTests
{
    [Fact]
    public void Are_the_tokenizers_eos_and_every_config_eos()
    {
        var ids = StopTokenIds.Of(new CharacterTokenizer(), [7, 9, 2]);

        Assert.Equal([2, 7, 9], ids.Order());
    }

    [Fact]
    public void Are_the_tokenizers_eos_alone_when_the_config_declares_none()
    {
        Assert.Equal([2], StopTokenIds.Of(new CharacterTokenizer(), []));
    }
}
