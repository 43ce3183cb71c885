return Meshman.Cli.Run(args, Console.Out, Console.Error);
