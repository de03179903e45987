"""The shim's wire: shim.proto, the one schema of everything that crosses a process
boundary in a processes run, and the Python code generated from it (shim_pb2.py,
shim_pb2_grpc.py; how to regenerate them is at the top of shim.proto). Nothing else
crosses: no pickle, no Python object. lessons/story/processes/messages.py turns these
messages into the story's Request and Item, checking every field on arrival."""
