// Several tests bind ports and start processes, and the in-memory exporters listen to every meter named Sweep in
// the process: run the tests of this assembly one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
