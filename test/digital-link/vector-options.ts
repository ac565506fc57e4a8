// Maps the option names the GS1 Syntax Engine vectors use to this module's options.
import type { ParseOptions } from '../../src/digital-link';

export interface EngineOptions {
  permitZeroSuppressedGTINinDLuris?: boolean;
  permitConvenienceAlphas?: boolean;
  permitUnknownAIs?: boolean;
  vUNKNOWN_AI_NOT_DL_ATTR?: boolean;
}

export function fromEngineOptions(options: EngineOptions | undefined): ParseOptions {
  return {
    permitZeroSuppressedGTIN: options?.permitZeroSuppressedGTINinDLuris ?? false,
    permitConvenienceAlphas: options?.permitConvenienceAlphas ?? false,
    permitUnknownAIs: options?.permitUnknownAIs ?? false,
    // The engine's validation vUNKNOWN_AI_NOT_DL_ATTR is on by default; turning it off admits unknown
    // attributes.
    permitUnknownAIsAsAttributes: options?.vUNKNOWN_AI_NOT_DL_ATTR === false,
  };
}
