return Meshman.Cli.Run(args, new Meshman.CliContext(Console.Out, Console.Error, Interactive: !Console.IsOutputRedirected));
