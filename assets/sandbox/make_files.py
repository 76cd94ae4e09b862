#!/usr/bin/env python3
"""Regenerates the sandbox's sample files in files/ (run from anywhere).

The PDFs are hand-written PDF 1.4 with a correct xref table, the XML is a small
UBL 2.1 invoice, the ZIP is made with zipfile (fixed timestamps, so the bytes are
the same on every run). The JPG is made with ImageMagick and is not regenerated here:
  convert -size 320x200 gradient:'#f4efe1-#c9b99a' -fill '#333' -pointsize 22 \
    -annotate +20+60 'RECEIPT  #2024-0042' -annotate +20+110 'Total: 1,234.56 EUR' \
    -quality 80 -strip files/Receipt_Photo.jpg
"""
import os
import zipfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")


def pdf(lines):
    text = ["BT", "/F1 18 Tf", "72 770 Td", "24 TL"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({esc}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


XML = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ID>2024-0042</cbc:ID>
  <cbc:IssueDate>2024-02-09</cbc:IssueDate>
  <cbc:DueDate>2024-03-10</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cac:PartyName><cbc:Name>Code Contract Demo GmbH</cbc:Name></cac:PartyName>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cac:PartyName><cbc:Name>Acme Trading AG</cbc:Name></cac:PartyName>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">197.11</cbc:TaxAmount>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">1037.45</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">1037.45</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">1234.56</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">1234.56</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">12.5</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">1037.45</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Bookkeeping services, February 2024</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">82.996</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(HERE, exist_ok=True)
    invoice = pdf([
        "INVOICE Invoice_001",
        "Odoo Billing Process 12345",
        "Date: 2024-02-09",
        "Customer: Acme Trading AG",
        "Total due: 1,234.56 EUR",
    ])
    write("Invoice_001.pdf", invoice)
    write("Supplier_Contract.pdf", pdf([
        "SUPPLIER CONTRACT",
        "Between Code Contract Demo GmbH and Nordlicht Supplies",
        "Term: 12 months from 2024-03-01",
    ]))
    write("XRechnung_2024_0042.xml", XML.encode("utf-8"))
    zpath = os.path.join(HERE, "Q1_Receipts.zip")
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED) as z:
        stamp = (2024, 3, 31, 12, 0, 0)
        for name, data in [
            ("receipts/2024-01.txt", b"January receipts: 14, total 2,310.40 EUR\n"),
            ("receipts/2024-02.txt", b"February receipts: 9, total 1,120.00 EUR\n"),
            ("receipts/2024-03.txt", b"March receipts: 11, total 1,874.95 EUR\n"),
            ("Invoice_001.pdf", invoice),
        ]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    write("notes.txt", "Sandbox note.\nThis file stands in for a document whose name is hostile.\n".encode())


if __name__ == "__main__":
    main()
