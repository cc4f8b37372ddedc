// TorchSharp frees implicitly converted Scalars (a double passed to a tensor op) in the finalizer,
// which can run during the native call that reads them. One test's use-after-free then surfaced in
// another, long-running test under parallel execution (libtorch "Scalar::toFloat" check). Product
// code creates its Scalars explicitly; running the test classes one at a time keeps any remaining
// test-side occurrence inside the test that causes it, and keeps a 2-core CI machine from thrashing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
