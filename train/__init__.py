"""claimstance training: fine-tune, calibrate and evaluate claim models. Builds on `infer`."""
