// The fault proxy (`FaultProxy`) lives in FaultInjection, shared with `hallkiosk-lab soak`; tests get it from here.
@_exported import FaultInjection
