import Testing

/// Every browser test runs under this one serialized suite, so at most one headless Chromium runs
/// at a time (each is heavy on a small CI machine, and the other suites run beside them).
@Suite(.serialized) struct BrowserSuite {}
