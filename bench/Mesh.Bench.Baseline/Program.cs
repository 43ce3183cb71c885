namespace Mesh.Bench.Baseline;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        BaselineOptions options;
        try
        {
            options = BaselineOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BaselineOptions.Usage);
            return 2;
        }
        await BaselineServer.RunAsync(options);
        return 0;
    }
}
