/// Ticket printing: the ticket layout as a value, its raster, the output formats (PWG raster, PNG, ESC/POS)
/// and the CUPS adapter that submits and follows jobs and watches the printer.
public enum KioskPrint {}
