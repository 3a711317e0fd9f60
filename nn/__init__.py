"""autograd_tiny.nn: neurons, layers and MLPs built from Values, with δ = ∂C/∂z at every
pre-activation, and the four backprop equations in NumPy to check them against."""

from . import datasets, losses
from .activations import ACTIVATIONS, Activation, get_activation
from .backprop import BackpropResult, backprop
from .check import BackpropCheck, LayerCheck, check_backprop
from .datasets import CharTokenizer
from .diagnose import BackpropDiagnosis, assert_backprop, diagnose_backprop
from .gpt import GPT, GPTTrace
from .gpt_check import GPTBackpropCheck, check_gpt_backprop
from .gpt_training import train_gpt
from .losses import Loss, get_loss, l2
from .module import MLP, Layer, Module, Neuron, Trace, initial_weights
from .optim import SGD, Adam, Optimizer
from .serialize import ModelFileError, load, save
from .train import History, batch_cost, fit, predict

__all__ = [
    "ACTIVATIONS",
    "GPT",
    "MLP",
    "SGD",
    "Activation",
    "Adam",
    "BackpropCheck",
    "BackpropDiagnosis",
    "BackpropResult",
    "CharTokenizer",
    "GPTBackpropCheck",
    "GPTTrace",
    "History",
    "Layer",
    "LayerCheck",
    "Loss",
    "ModelFileError",
    "Module",
    "Neuron",
    "Optimizer",
    "Trace",
    "assert_backprop",
    "backprop",
    "batch_cost",
    "check_backprop",
    "check_gpt_backprop",
    "datasets",
    "diagnose_backprop",
    "fit",
    "get_activation",
    "get_loss",
    "initial_weights",
    "l2",
    "load",
    "losses",
    "predict",
    "save",
    "train_gpt",
]
