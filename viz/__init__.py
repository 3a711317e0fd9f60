"""autograd_tiny.viz: computation graphs and network diagrams as SVG."""
