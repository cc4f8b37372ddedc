using A3.Cli;

return await A3Application.RunAsync(args, Console.Out, Console.Error);
