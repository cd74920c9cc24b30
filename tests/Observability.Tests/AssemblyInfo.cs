// The Sweep meter and its latest-value state are process-wide, and several tests bind ports and start processes:
// run the tests of this assembly one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
