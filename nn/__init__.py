"""autograd_tiny.nn: neurons, layers and MLPs built from Values."""
