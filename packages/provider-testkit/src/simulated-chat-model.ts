// Placeholder: the simulated provider is being written (see the package README).
export const SIMULATED_NOTICE = "simulated provider: offline stand-in, not a real model";
