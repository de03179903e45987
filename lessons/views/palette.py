"""Every colour the views use to mean something, from one colour-blind-safe palette.

The palette is Okabe and Ito's (2008): eight colours that people with the common forms
of colour blindness (deuteranopia, protanopia) still tell apart. Colour is never the only
sign: every meaning below also has a word, a line style, a hatch or a shape, named next
to it, so a greyscale print reads too (tests/test_views_colour.py checks both).
"""
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"          # Okabe-Ito's "bluish green"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"         # Okabe-Ito's "reddish purple"
GREY = "#999999"
LIGHT_GREY = "#DDDDDD"
WARNING_TEXT = "#A33A00"    # vermillion darkened to 6:1 on white, for small text
# Small text in a palette colour: a darker shade of it, with 4.5:1 or more on white.
TEXT = {VERMILLION: WARNING_TEXT, ORANGE: "#8A5A00", GREEN: "#006B4E", SKY_BLUE: "#1F6E99",
        PURPLE: "#93366C", YELLOW: "#6E6600"}

# The banner: the word is the second channel. (background, text colour): the text is
# large and bold (BANNER_STYLE), where WCAG asks a contrast of at least 3:1; each pair
# has more.
BANNER = {"READY": ("#595959", "white"), "RUNNING": (BLUE, "white"),
          "COMPLETED": (GREEN, "white"), "STALL": (ORANGE, "black"),
          "DEADLOCK": (VERMILLION, "white"), "SHIM EXITED": (BLACK, "white"),
          "LIVELOCK": (PURPLE, "black"), "UNFINISHED": (LIGHT_GREY, "black"),
          "ERROR": (WARNING_TEXT, "white")}
BANNER_STYLE = {"font_size": "22px", "font_weight": "bold"}
# What each word means, for a tooltip and a screen reader.
BANNER_MEANS = {
    "READY": "waiting for your first click: nothing has started yet",
    "RUNNING": "the run is going on: some actor can still move",
    "COMPLETED": "every request was answered",
    "STALL": "nothing moves, but the chain of waits leads outside: the client must read",
    "DEADLOCK": "a loop of waits inside the system: nobody outside can break it",
    "SHIM EXITED": "the shim's timer fired and it exited; the loop it sat in stays",
    "LIVELOCK": "everyone keeps busy, yet nobody gets to eat",
    "UNFINISHED": "the run reached its own bound (moves or seconds) first: this proves nothing",
    "ERROR": "a process of the run died or an actor crashed: the run has ended (see why "
             "beside the buttons; Reset starts again)",
}

# The wait-for graph and the table: a loop is vermillion, bold and solid; a stall's
# chain is orange, bold and dashed; a wait the timer has ended is dotted; stuck actors
# are shaded and say "stuck"; the exited actor is drawn with cut corners (diagonals).
CYCLE = VERMILLION
CHAIN = ORANGE
STUCK_FILL = LIGHT_GREY
EXITED_FILL = GREY

# Timeline lanes: a channel's colour and its name written on the bar; whether the actor
# waits to send or to receive is a hatch (send: diagonal lines) or plain fill (receive).
# (Yellow, too light for a line on white, goes to clicks, which no drawing shows.)
CHANNELS = {"requests": BLUE, "handoff": PURPLE, "c_buffer": ORANGE, "replies": SKY_BLUE,
            "notifications": VERMILLION, "stream": GREEN, "clicks": YELLOW}
SEND_HATCH = "////"

# Dining: a state's colour, its word in the seat, and a hatch in the legend and bars.
STATES = {"thinking": (SKY_BLUE, ""), "hungry": (ORANGE, "////"),
          "eating": (GREEN, "||"), "done": (LIGHT_GREY, "xx")}

# Architecture: who calls the engine. The word in the box says it too.
CALLS = {"single": VERMILLION, "split": GREEN}
BUSY_FILL, FIXED_FILL, CHANNEL_FILL = "#F7D9C4", "#CCEBE3", "#FBF7C8"

# The heat map: white (never) to vermillion (every seed); each cell prints its share.
HEAT = ("#FFFFFF", VERMILLION)
