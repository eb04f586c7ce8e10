"""Pictures as text: plots and tensor heatmaps drawn with Unicode characters.

Pure functions over the protocol's plain data (`PlotData`, a matrix of floats); no
NumPy, no TensorFlow, no UI framework, so both frontends and their tests share them.
"""
