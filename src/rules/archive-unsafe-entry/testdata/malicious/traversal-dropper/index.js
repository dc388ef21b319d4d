// A harmless entry point beside the unsafe archive entries.
