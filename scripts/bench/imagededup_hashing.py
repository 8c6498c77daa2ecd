"""imagededup's hashing methods without torch.

imagededup's package __init__ files import its CNN method and plotting helpers, which pull torch, torchvision
and matplotlib (several GB of wheels), although PHash/DHash/AHash/WHash need only numpy, scipy, PyWavelets and
Pillow. scripts/bench.sh installs imagededup with --no-deps plus those small dependencies; this module stands in
empty modules for the torch and plotting parts before importing, so the hashing methods run unchanged.
With the full install (BENCH_IMAGEDEDUP=1) the real modules are used.
"""
import importlib.util
import sys
import types


def hashing_methods():
    """The imagededup.methods module with PHash, DHash, AHash and WHash."""
    if importlib.util.find_spec("torch") is None:
        for name, attrs in {
            "imagededup.methods.cnn": {"CNN": None},
            "imagededup.utils.models": {"CustomModel": None},
            "imagededup.utils.plotter": {"plot_duplicates": None},
        }.items():
            if name not in sys.modules:
                module = types.ModuleType(name)
                module.__dict__.update(attrs)
                sys.modules[name] = module
    import imagededup.methods
    return imagededup.methods
