using A3.Runtime.Native;
using TorchSharp;

var status = TorchNative.EnsureLoaded();
Console.WriteLine(status);
using var t = torch.ones(3, 3);
Console.WriteLine(t.sum().item<float>());
