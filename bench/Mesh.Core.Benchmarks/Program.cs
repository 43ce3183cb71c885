using BenchmarkDotNet.Running;
using Mesh.Core.Benchmarks;

// "footprint" prints sizes and memory that are not timings (bytes of JSON vs JSON-B, bytes per frame);
// anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args is ["footprint", ..])
{
    Footprint.Print();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(FormatsConfig).Assembly).Run(args);
