#!/usr/bin/env python3
"""Writes the sandbox's sample documents for `trackline inspect` into files/.

E-invoices written from the standards (UBL 2.1 / Peppol BIS 3 / XRechnung,
UN/CEFACT CII D16B / XRechnung / Factur-X, Facturae 3.2.1 and 3.2.2, CFDI 3.3
and 4.0, FatturaPA 1.2), each with figures that add up; a Factur-X PDF that
embeds its CII invoice; a scanned PDF without text; pictures; an archive with a
nested archive; CSV, JSON and texts in UTF-16 and Latin-1. Deterministic:
the same bytes on every run. The existing samples are made by make_files.py.
"""
import base64
import io
import os
import struct
import zipfile
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


PEPPOL = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>INV-2024-101</cbc:ID>
  <cbc:IssueDate>2024-03-05</cbc:IssueDate>
  <cbc:DueDate>2024-04-04</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>PO-7781</cbc:BuyerReference>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID>
      <cac:PartyName><cbc:Name>Nordlicht Supplies</cbc:Name></cac:PartyName>
      <cac:PostalAddress>
        <cbc:CityName>Hamburg</cbc:CityName>
        <cbc:PostalZone>20095</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>DE123456789</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>Nordlicht Supplies GmbH</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cbc:EndpointID schemeID="9930">DE987654321</cbc:EndpointID>
      <cac:PostalAddress>
        <cbc:CityName>Berlin</cbc:CityName>
        <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>DE987654321</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>Acme Trading AG</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:AllowanceCharge>
    <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>Loyalty discount</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="EUR">10.00</cbc:Amount>
    <cac:TaxCategory>
      <cbc:ID>S</cbc:ID>
      <cbc:Percent>19</cbc:Percent>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
    </cac:TaxCategory>
  </cac:AllowanceCharge>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">137.87</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">679.60</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">129.12</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">125.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">8.75</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>7</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">814.60</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">804.60</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">942.47</cbc:TaxInclusiveAmount>
    <cbc:AllowanceTotalAmount currencyID="EUR">10.00</cbc:AllowanceTotalAmount>
    <cbc:PrepaidAmount currencyID="EUR">100.00</cbc:PrepaidAmount>
    <cbc:PayableAmount currencyID="EUR">842.47</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">4</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">599.60</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Office chair Ergo 2</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">149.90</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
  <cac:InvoiceLine>
    <cbc:ID>2</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">2</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">90.00</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Assembly service</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">45.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
  <cac:InvoiceLine>
    <cbc:ID>3</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">10</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">125.00</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Printed assembly manual</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>7</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">12.50</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""

CREDIT_NOTE = """<?xml version="1.0" encoding="UTF-8"?>
<ubl:CreditNote xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
                xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <b:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</b:CustomizationID>
  <b:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</b:ProfileID>
  <b:ID>CN-2024-007</b:ID>
  <b:IssueDate>2024-03-12</b:IssueDate>
  <b:CreditNoteTypeCode>381</b:CreditNoteTypeCode>
  <b:DocumentCurrencyCode>EUR</b:DocumentCurrencyCode>
  <b:BuyerReference>04011000-12345-34</b:BuyerReference>
  <a:BillingReference><a:InvoiceDocumentReference><b:ID>INV-2024-101</b:ID></a:InvoiceDocumentReference></a:BillingReference>
  <a:AccountingSupplierParty>
    <a:Party>
      <a:PartyName><b:Name>Nordlicht Supplies</b:Name></a:PartyName>
      <a:PartyTaxScheme><b:CompanyID>DE123456789</b:CompanyID><a:TaxScheme><b:ID>VAT</b:ID></a:TaxScheme></a:PartyTaxScheme>
      <a:PartyLegalEntity><b:RegistrationName>Nordlicht Supplies GmbH</b:RegistrationName></a:PartyLegalEntity>
    </a:Party>
  </a:AccountingSupplierParty>
  <a:AccountingCustomerParty>
    <a:Party>
      <a:PartyLegalEntity><b:RegistrationName>Acme Trading AG</b:RegistrationName></a:PartyLegalEntity>
    </a:Party>
  </a:AccountingCustomerParty>
  <a:PaymentMeans>
    <b:PaymentMeansCode>30</b:PaymentMeansCode>
    <b:PaymentDueDate>2024-03-26</b:PaymentDueDate>
  </a:PaymentMeans>
  <a:TaxTotal>
    <b:TaxAmount currencyID="EUR">28.48</b:TaxAmount>
    <a:TaxSubtotal>
      <b:TaxableAmount currencyID="EUR">149.90</b:TaxableAmount>
      <b:TaxAmount currencyID="EUR">28.48</b:TaxAmount>
      <a:TaxCategory><b:ID>S</b:ID><b:Percent>19.00</b:Percent><a:TaxScheme><b:ID>VAT</b:ID></a:TaxScheme></a:TaxCategory>
    </a:TaxSubtotal>
  </a:TaxTotal>
  <a:LegalMonetaryTotal>
    <b:LineExtensionAmount currencyID="EUR">149.90</b:LineExtensionAmount>
    <b:TaxExclusiveAmount currencyID="EUR">149.90</b:TaxExclusiveAmount>
    <b:TaxInclusiveAmount currencyID="EUR">178.38</b:TaxInclusiveAmount>
    <b:PayableAmount currencyID="EUR">178.38</b:PayableAmount>
  </a:LegalMonetaryTotal>
  <a:CreditNoteLine>
    <b:ID>1</b:ID>
    <b:CreditedQuantity unitCode="C62">1</b:CreditedQuantity>
    <b:LineExtensionAmount currencyID="EUR">149.90</b:LineExtensionAmount>
    <a:Item><b:Name>Office chair Ergo 2 (returned)</b:Name></a:Item>
    <a:Price><b:PriceAmount currencyID="EUR">149.90</b:PriceAmount></a:Price>
  </a:CreditNoteLine>
</ubl:CreditNote>
"""


def cii(number, date, due, guideline, seller, seller_vat, buyer, buyer_vat, lines, taxes, charge, totals, currency="EUR"):
    items = []
    for i, (name, qty, unit, price, amount, cat, rate) in enumerate(lines, start=1):
        items.append(f"""    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>{i}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>{name}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{price}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="{unit}">{qty}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{cat}</ram:CategoryCode><ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{amount}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>""")
    tax_xml = "\n".join(
        f"""      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>{amount}</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>{base}</ram:BasisAmount>
        <ram:CategoryCode>{cat}</ram:CategoryCode>
        <ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>"""
        for (base, amount, cat, rate) in taxes
    )
    charge_xml = ""
    if charge:
        reason, value, cat, rate = charge
        charge_xml = f"""      <ram:SpecifiedTradeAllowanceCharge>
        <ram:ChargeIndicator><udt:Indicator>true</udt:Indicator></ram:ChargeIndicator>
        <ram:ActualAmount>{value}</ram:ActualAmount>
        <ram:Reason>{reason}</ram:Reason>
        <ram:CategoryTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{cat}</ram:CategoryCode><ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent></ram:CategoryTradeTax>
      </ram:SpecifiedTradeAllowanceCharge>
"""
    line_total, charges, basis, tax, grand, payable = totals
    charge_total = f"\n        <ram:ChargeTotalAmount>{charges}</ram:ChargeTotalAmount>" if charges else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<CrossIndustryInvoice xmlns="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </ExchangedDocumentContext>
  <ExchangedDocument>
    <ram:ID>{number}</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{date}</udt:DateTimeString></ram:IssueDateTime>
  </ExchangedDocument>
  <SupplyChainTradeTransaction>
{chr(10).join(items)}
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>
      <ram:SellerTradeParty>
        <ram:Name>{seller}</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{seller_vat}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>{buyer}</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{buyer_vat}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>{currency}</ram:InvoiceCurrencyCode>
{tax_xml}
{charge_xml}      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">{due}</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{line_total}</ram:LineTotalAmount>{charge_total}
        <ram:TaxBasisTotalAmount>{basis}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="{currency}">{tax}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{grand}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{payable}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </SupplyChainTradeTransaction>
</CrossIndustryInvoice>
"""


XRECHNUNG_CII = cii(
    "2024-0815", "20240815", "20240914",
    "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
    "Code Contract Demo GmbH", "DE111222333", "Stadtwerke Musterstadt", "DE444555666",
    [("Consulting, August 2024", "8", "HUR", "120.00", "960.00", "S", "19"),
     ("Printed project report", "3", "C62", "24.90", "74.70", "S", "7")],
    [("975.00", "185.25", "S", "19"), ("74.70", "5.23", "S", "7")],
    ("Shipping", "15.00", "S", "19"),
    ("1034.70", "15.00", "1049.70", "190.48", "1240.18", "1240.18"),
)

FACTURX_XML = cii(
    "2024-0099", "20240930", "20241030",
    "urn:cen.eu:en16931:2017",
    "Atelier Lumière SARL", "FR12345678901", "Acme Trading AG", "DE987654321",
    [("Website hosting, September 2024", "1", "C62", "250.00", "250.00", "S", "20")],
    [("250.00", "50.00", "S", "20")],
    None,
    ("250.00", None, "250.00", "50.00", "300.00", "300.00"),
)

SIGNATURE = """  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="Signature-1">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
      <ds:Reference URI="">
        <ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue>c2FtcGxlIGRpZ2VzdCwgbm90IGEgcmVhbCBvbmU=</ds:DigestValue>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue>c2FtcGxlIHNpZ25hdHVyZSB2YWx1ZSwgbm90IGEgcmVhbCBvbmU=</ds:SignatureValue>
    <ds:KeyInfo><ds:X509Data><ds:X509Certificate>c2FtcGxlIGNlcnRpZmljYXRl</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
  </ds:Signature>
"""


def facturae_line(desc, qty, price, total, iva_rate, iva, irpf=None):
    withheld = ""
    if irpf:
        rate, base, amount = irpf
        withheld = f"""
          <TaxesWithheld><Tax><TaxTypeCode>04</TaxTypeCode><TaxRate>{rate}</TaxRate><TaxableBase><TotalAmount>{base}</TotalAmount></TaxableBase><TaxAmount><TotalAmount>{amount}</TotalAmount></TaxAmount></Tax></TaxesWithheld>"""
    return f"""        <InvoiceLine>
          <ItemDescription>{desc}</ItemDescription>
          <Quantity>{qty}</Quantity>
          <UnitOfMeasure>01</UnitOfMeasure>
          <UnitPriceWithoutTax>{price}</UnitPriceWithoutTax>
          <TotalCost>{total}</TotalCost>
          <GrossAmount>{total}</GrossAmount>{withheld}
          <TaxesOutputs><Tax><TaxTypeCode>01</TaxTypeCode><TaxRate>{iva_rate}</TaxRate><TaxableBase><TotalAmount>{total}</TotalAmount></TaxableBase><TaxAmount><TotalAmount>{iva}</TotalAmount></TaxAmount></Tax></TaxesOutputs>
        </InvoiceLine>"""


FACTURAE_322 = f"""<?xml version="1.0" encoding="UTF-8"?>
<fe:Facturae xmlns:fe="http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
  <FileHeader>
    <SchemaVersion>3.2.2</SchemaVersion>
    <Modality>I</Modality>
    <InvoiceIssuerType>EM</InvoiceIssuerType>
    <Batch>
      <BatchIdentifier>12345678ZA-2024-017</BatchIdentifier>
      <InvoicesCount>1</InvoicesCount>
      <TotalInvoicesAmount><TotalAmount>901.00</TotalAmount></TotalInvoicesAmount>
      <TotalOutstandingAmount><TotalAmount>901.00</TotalAmount></TotalOutstandingAmount>
      <TotalExecutableAmount><TotalAmount>901.00</TotalAmount></TotalExecutableAmount>
      <InvoiceCurrencyCode>EUR</InvoiceCurrencyCode>
    </Batch>
  </FileHeader>
  <Parties>
    <SellerParty>
      <TaxIdentification><PersonTypeCode>F</PersonTypeCode><ResidenceTypeCode>R</ResidenceTypeCode><TaxIdentificationNumber>12345678Z</TaxIdentificationNumber></TaxIdentification>
      <Individual>
        <Name>María</Name><FirstSurname>García</FirstSurname><SecondSurname>López</SecondSurname>
        <AddressInSpain><Address>Calle Mayor 12</Address><PostCode>28013</PostCode><Town>Madrid</Town><Province>Madrid</Province><CountryCode>ESP</CountryCode></AddressInSpain>
      </Individual>
    </SellerParty>
    <BuyerParty>
      <TaxIdentification><PersonTypeCode>J</PersonTypeCode><ResidenceTypeCode>R</ResidenceTypeCode><TaxIdentificationNumber>B12345674</TaxIdentificationNumber></TaxIdentification>
      <LegalEntity>
        <CorporateName>Distribuciones Iberia S.L.</CorporateName>
        <AddressInSpain><Address>Avenida del Puerto 3</Address><PostCode>46021</PostCode><Town>Valencia</Town><Province>Valencia</Province><CountryCode>ESP</CountryCode></AddressInSpain>
      </LegalEntity>
    </BuyerParty>
  </Parties>
  <Invoices>
    <Invoice>
      <InvoiceHeader>
        <InvoiceNumber>2024-017</InvoiceNumber>
        <InvoiceSeriesCode>A</InvoiceSeriesCode>
        <InvoiceDocumentType>FC</InvoiceDocumentType>
        <InvoiceClass>OO</InvoiceClass>
      </InvoiceHeader>
      <InvoiceIssueData>
        <IssueDate>2024-03-31</IssueDate>
        <InvoiceCurrencyCode>EUR</InvoiceCurrencyCode>
        <TaxCurrencyCode>EUR</TaxCurrencyCode>
        <LanguageName>es</LanguageName>
      </InvoiceIssueData>
      <TaxesOutputs>
        <Tax><TaxTypeCode>01</TaxTypeCode><TaxRate>21.00</TaxRate><TaxableBase><TotalAmount>850.00</TotalAmount></TaxableBase><TaxAmount><TotalAmount>178.50</TotalAmount></TaxAmount></Tax>
      </TaxesOutputs>
      <TaxesWithheld>
        <Tax><TaxTypeCode>04</TaxTypeCode><TaxRate>15.00</TaxRate><TaxableBase><TotalAmount>850.00</TotalAmount></TaxableBase><TaxAmount><TotalAmount>127.50</TotalAmount></TaxAmount></Tax>
      </TaxesWithheld>
      <InvoiceTotals>
        <TotalGrossAmount>850.00</TotalGrossAmount>
        <TotalGeneralDiscounts>0.00</TotalGeneralDiscounts>
        <TotalGeneralSurcharges>0.00</TotalGeneralSurcharges>
        <TotalGrossAmountBeforeTaxes>850.00</TotalGrossAmountBeforeTaxes>
        <TotalTaxOutputs>178.50</TotalTaxOutputs>
        <TotalTaxesWithheld>127.50</TotalTaxesWithheld>
        <InvoiceTotal>901.00</InvoiceTotal>
        <TotalOutstandingAmount>901.00</TotalOutstandingAmount>
        <TotalExecutableAmount>901.00</TotalExecutableAmount>
      </InvoiceTotals>
      <Items>
{facturae_line("Asesoría fiscal, marzo 2024 (horas)", "10.0", "80.000000", "800.000000", "21.00", "168.00", ("15.00", "800.00", "120.00"))}
{facturae_line("Desplazamientos", "1.0", "50.000000", "50.000000", "21.00", "10.50", ("15.00", "50.00", "7.50"))}
      </Items>
      <PaymentDetails>
        <Installment>
          <InstallmentDueDate>2024-04-30</InstallmentDueDate>
          <InstallmentAmount>901.00</InstallmentAmount>
          <PaymentMeans>04</PaymentMeans>
          <AccountToBeCredited><IBAN>ES9121000418450200051332</IBAN></AccountToBeCredited>
        </Installment>
      </PaymentDetails>
    </Invoice>
  </Invoices>
{SIGNATURE}</fe:Facturae>
"""

FACTURAE_321 = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<Facturae xmlns="http://www.facturae.es/Facturae/2014/v3.2.1/Facturae">
  <FileHeader xmlns="">
    <SchemaVersion>3.2.1</SchemaVersion>
    <Modality>I</Modality>
    <InvoiceIssuerType>EM</InvoiceIssuerType>
    <Batch>
      <BatchIdentifier>B76543210R-2024-003</BatchIdentifier>
      <InvoicesCount>1</InvoicesCount>
      <TotalInvoicesAmount><TotalAmount>-89.10</TotalAmount></TotalInvoicesAmount>
      <TotalOutstandingAmount><TotalAmount>-89.10</TotalAmount></TotalOutstandingAmount>
      <TotalExecutableAmount><TotalAmount>-89.10</TotalAmount></TotalExecutableAmount>
      <InvoiceCurrencyCode>EUR</InvoiceCurrencyCode>
    </Batch>
  </FileHeader>
  <Parties xmlns="">
    <SellerParty>
      <TaxIdentification><PersonTypeCode>J</PersonTypeCode><ResidenceTypeCode>R</ResidenceTypeCode><TaxIdentificationNumber>B76543210</TaxIdentificationNumber></TaxIdentification>
      <LegalEntity><CorporateName>Papelería Muñoz S.L.</CorporateName>
        <AddressInSpain><Address>Plaza de España 1</Address><PostCode>41013</PostCode><Town>Sevilla</Town><Province>Sevilla</Province><CountryCode>ESP</CountryCode></AddressInSpain>
      </LegalEntity>
    </SellerParty>
    <BuyerParty>
      <TaxIdentification><PersonTypeCode>J</PersonTypeCode><ResidenceTypeCode>R</ResidenceTypeCode><TaxIdentificationNumber>B12345674</TaxIdentificationNumber></TaxIdentification>
      <LegalEntity><CorporateName>Distribuciones Iberia S.L.</CorporateName>
        <AddressInSpain><Address>Avenida del Puerto 3</Address><PostCode>46021</PostCode><Town>Valencia</Town><Province>Valencia</Province><CountryCode>ESP</CountryCode></AddressInSpain>
      </LegalEntity>
    </BuyerParty>
  </Parties>
  <Invoices xmlns="">
    <Invoice>
      <InvoiceHeader>
        <InvoiceNumber>R-2024-003</InvoiceNumber>
        <InvoiceDocumentType>FC</InvoiceDocumentType>
        <InvoiceClass>OR</InvoiceClass>
        <Corrective>
          <InvoiceNumber>2024-051</InvoiceNumber>
          <ReasonCode>01</ReasonCode>
          <ReasonDescription>Número de la factura</ReasonDescription>
          <TaxPeriod><StartDate>2024-02-01</StartDate><EndDate>2024-02-29</EndDate></TaxPeriod>
          <CorrectionMethod>02</CorrectionMethod>
          <CorrectionMethodDescription>Rectificación por diferencias</CorrectionMethodDescription>
        </Corrective>
      </InvoiceHeader>
      <InvoiceIssueData>
        <IssueDate>2024-03-08</IssueDate>
        <InvoiceCurrencyCode>EUR</InvoiceCurrencyCode>
        <TaxCurrencyCode>EUR</TaxCurrencyCode>
        <LanguageName>es</LanguageName>
      </InvoiceIssueData>
      <TaxesOutputs>
        <Tax><TaxTypeCode>01</TaxTypeCode><TaxRate>21.00</TaxRate><TaxableBase><TotalAmount>-60.00</TotalAmount></TaxableBase><TaxAmount><TotalAmount>-12.60</TotalAmount></TaxAmount></Tax>
        <Tax><TaxTypeCode>01</TaxTypeCode><TaxRate>10.00</TaxRate><TaxableBase><TotalAmount>-15.00</TotalAmount></TaxableBase><TaxAmount><TotalAmount>-1.50</TotalAmount></TaxAmount></Tax>
      </TaxesOutputs>
      <InvoiceTotals>
        <TotalGrossAmount>-75.00</TotalGrossAmount>
        <TotalGrossAmountBeforeTaxes>-75.00</TotalGrossAmountBeforeTaxes>
        <TotalTaxOutputs>-14.10</TotalTaxOutputs>
        <TotalTaxesWithheld>0.00</TotalTaxesWithheld>
        <InvoiceTotal>-89.10</InvoiceTotal>
        <TotalOutstandingAmount>-89.10</TotalOutstandingAmount>
        <TotalExecutableAmount>-89.10</TotalExecutableAmount>
      </InvoiceTotals>
      <Items>
{facturae_line("Cuadernos A4 (devolución)", "-2.0", "30.000000", "-60.000000", "21.00", "-12.60")}
{facturae_line("Libros de texto (devolución)", "-1.0", "15.000000", "-15.000000", "10.00", "-1.50")}
      </Items>
    </Invoice>
  </Invoices>
</Facturae>
"""

CFDI40 = """<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd"
    Version="4.0" Serie="F" Folio="1234" Fecha="2024-04-10T12:30:00" FormaPago="03" NoCertificado="30001000000500003416"
    SubTotal="12500.00" Descuento="250.00" Moneda="MXN" Total="12985.00" TipoDeComprobante="I" Exportacion="01"
    MetodoPago="PUE" LugarExpedicion="20000"
    Sello="c2FtcGxlIHNlYWwsIG5vdCBhIHJlYWwgb25l" Certificado="c2FtcGxlIGNlcnRpZmljYXRl">
  <cfdi:Emisor Rfc="EKU9003173C9" Nombre="ESCUELA KEMPER URGATE" RegimenFiscal="601"/>
  <cfdi:Receptor Rfc="URE180429TM6" Nombre="UNIVERSIDAD ROBOTICA ESPAÑOLA" DomicilioFiscalReceptor="86991" RegimenFiscalReceptor="601" UsoCFDI="G03"/>
  <cfdi:Conceptos>
    <cfdi:Concepto ClaveProdServ="81111500" Cantidad="1" ClaveUnidad="E48" Descripcion="Desarrollo de software a la medida" ValorUnitario="10000.00" Importe="10000.00" ObjetoImp="02">
      <cfdi:Impuestos>
        <cfdi:Traslados><cfdi:Traslado Base="10000.00" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="1600.00"/></cfdi:Traslados>
        <cfdi:Retenciones><cfdi:Retencion Base="10000.00" Impuesto="001" TipoFactor="Tasa" TasaOCuota="0.100000" Importe="1000.00"/></cfdi:Retenciones>
      </cfdi:Impuestos>
    </cfdi:Concepto>
    <cfdi:Concepto ClaveProdServ="81111800" Cantidad="5" ClaveUnidad="E48" Descripcion="Soporte técnico (horas)" ValorUnitario="500.00" Importe="2500.00" Descuento="250.00" ObjetoImp="02">
      <cfdi:Impuestos>
        <cfdi:Traslados><cfdi:Traslado Base="2250.00" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="360.00"/></cfdi:Traslados>
        <cfdi:Retenciones><cfdi:Retencion Base="2250.00" Impuesto="001" TipoFactor="Tasa" TasaOCuota="0.100000" Importe="225.00"/></cfdi:Retenciones>
      </cfdi:Impuestos>
    </cfdi:Concepto>
  </cfdi:Conceptos>
  <cfdi:Impuestos TotalImpuestosRetenidos="1225.00" TotalImpuestosTrasladados="1960.00">
    <cfdi:Retenciones><cfdi:Retencion Impuesto="001" Importe="1225.00"/></cfdi:Retenciones>
    <cfdi:Traslados><cfdi:Traslado Base="12250.00" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="1960.00"/></cfdi:Traslados>
  </cfdi:Impuestos>
  <cfdi:Complemento>
    <tfd:TimbreFiscalDigital Version="1.1" UUID="6F1D2C3B-4A5E-4F60-8A7B-9C0D1E2F3A4B" FechaTimbrado="2024-04-10T12:31:05"
        RfcProvCertif="SAT970701NN3" SelloCFD="c2FtcGxl" NoCertificadoSAT="30001000000500003456" SelloSAT="c2FtcGxl"/>
  </cfdi:Complemento>
</cfdi:Comprobante>
"""

CFDI33 = """<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3" Version="3.3" Serie="NC" Folio="88" Fecha="2023-11-20T09:15:00"
    SubTotal="300.00" Moneda="MXN" Total="348.00" TipoDeComprobante="E" MetodoPago="PUE" FormaPago="03" LugarExpedicion="64000">
  <cfdi:CfdiRelacionados TipoRelacion="01"><cfdi:CfdiRelacionado UUID="0A1B2C3D-4E5F-4061-8273-849506A7B8C9"/></cfdi:CfdiRelacionados>
  <cfdi:Emisor Rfc="EKU9003173C9" Nombre="ESCUELA KEMPER URGATE" RegimenFiscal="601"/>
  <cfdi:Receptor Rfc="XAXX010101000" Nombre="PUBLICO EN GENERAL" UsoCFDI="G02"/>
  <cfdi:Conceptos>
    <cfdi:Concepto ClaveProdServ="84111506" Cantidad="2" ClaveUnidad="ACT" Descripcion="Devolución de mercancía" ValorUnitario="150.00" Importe="300.00">
      <cfdi:Impuestos><cfdi:Traslados><cfdi:Traslado Base="300.00" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="48.00"/></cfdi:Traslados></cfdi:Impuestos>
    </cfdi:Concepto>
  </cfdi:Conceptos>
  <cfdi:Impuestos TotalImpuestosTrasladados="48.00">
    <cfdi:Traslados><cfdi:Traslado Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="48.00"/></cfdi:Traslados>
  </cfdi:Impuestos>
</cfdi:Comprobante>
"""

FATTURAPA = """<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
  <FatturaElettronicaHeader>
    <DatiTrasmissione>
      <IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdTrasmittente>
      <ProgressivoInvio>00042</ProgressivoInvio>
      <FormatoTrasmissione>FPR12</FormatoTrasmissione>
      <CodiceDestinatario>ABC1234</CodiceDestinatario>
    </DatiTrasmissione>
    <CedentePrestatore>
      <DatiAnagrafici>
        <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdFiscaleIVA>
        <Anagrafica><Denominazione>Rossi Consulting S.r.l.</Denominazione></Anagrafica>
        <RegimeFiscale>RF01</RegimeFiscale>
      </DatiAnagrafici>
      <Sede><Indirizzo>Via Roma 1</Indirizzo><CAP>20121</CAP><Comune>Milano</Comune><Provincia>MI</Provincia><Nazione>IT</Nazione></Sede>
    </CedentePrestatore>
    <CessionarioCommittente>
      <DatiAnagrafici>
        <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>09876543210</IdCodice></IdFiscaleIVA>
        <Anagrafica><Denominazione>Bianchi Distribuzione S.p.A.</Denominazione></Anagrafica>
      </DatiAnagrafici>
      <Sede><Indirizzo>Corso Italia 20</Indirizzo><CAP>10121</CAP><Comune>Torino</Comune><Provincia>TO</Provincia><Nazione>IT</Nazione></Sede>
    </CessionarioCommittente>
  </FatturaElettronicaHeader>
  <FatturaElettronicaBody>
    <DatiGenerali>
      <DatiGeneraliDocumento>
        <TipoDocumento>TD01</TipoDocumento>
        <Divisa>EUR</Divisa>
        <Data>2024-04-30</Data>
        <Numero>2024/042</Numero>
        <DatiRitenuta>
          <TipoRitenuta>RT02</TipoRitenuta>
          <ImportoRitenuta>120.00</ImportoRitenuta>
          <AliquotaRitenuta>20.00</AliquotaRitenuta>
          <CausalePagamento>A</CausalePagamento>
        </DatiRitenuta>
        <ImportoTotaleDocumento>787.00</ImportoTotaleDocumento>
        <Causale>Consulenza aprile 2024</Causale>
      </DatiGeneraliDocumento>
    </DatiGenerali>
    <DatiBeniServizi>
      <DettaglioLinee>
        <NumeroLinea>1</NumeroLinea>
        <Descrizione>Consulenza informatica (ore)</Descrizione>
        <Quantita>10.00</Quantita>
        <UnitaMisura>ore</UnitaMisura>
        <PrezzoUnitario>60.00</PrezzoUnitario>
        <PrezzoTotale>600.00</PrezzoTotale>
        <AliquotaIVA>22.00</AliquotaIVA>
        <Ritenuta>SI</Ritenuta>
      </DettaglioLinee>
      <DettaglioLinee>
        <NumeroLinea>2</NumeroLinea>
        <Descrizione>Materiale di consumo</Descrizione>
        <Quantita>4.00</Quantita>
        <PrezzoUnitario>12.50</PrezzoUnitario>
        <PrezzoTotale>50.00</PrezzoTotale>
        <AliquotaIVA>10.00</AliquotaIVA>
      </DettaglioLinee>
      <DatiRiepilogo>
        <AliquotaIVA>22.00</AliquotaIVA>
        <ImponibileImporto>600.00</ImponibileImporto>
        <Imposta>132.00</Imposta>
        <EsigibilitaIVA>I</EsigibilitaIVA>
      </DatiRiepilogo>
      <DatiRiepilogo>
        <AliquotaIVA>10.00</AliquotaIVA>
        <ImponibileImporto>50.00</ImponibileImporto>
        <Imposta>5.00</Imposta>
        <EsigibilitaIVA>I</EsigibilitaIVA>
      </DatiRiepilogo>
    </DatiBeniServizi>
    <DatiPagamento>
      <CondizioniPagamento>TP02</CondizioniPagamento>
      <DettaglioPagamento>
        <ModalitaPagamento>MP05</ModalitaPagamento>
        <DataScadenzaPagamento>2024-05-31</DataScadenzaPagamento>
        <ImportoPagamento>667.00</ImportoPagamento>
        <IBAN>IT60X0542811101000000123456</IBAN>
      </DettaglioPagamento>
    </DatiPagamento>
  </FatturaElettronicaBody>
</p:FatturaElettronica>
"""


def pdf_bytes(objects, info):
    """A PDF of `objects` (bytes, numbered from 1; 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def stream(data, extra=b"", compress=False):
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length " + str(len(data)).encode() + extra + b" >>\nstream\n" + data + b"\nendstream"


def text_content(lines):
    ops = ["BT", "/F1 14 Tf", "72 770 Td", "20 TL"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({esc}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def facturx_pdf():
    xml = FACTURX_XML.encode("utf-8")
    content = text_content([
        "Atelier Lumiere SARL - Invoice 2024-0099",
        "Website hosting, September 2024: 250.00 EUR",
        "VAT 20%: 50.00 EUR   Total: 300.00 EUR",
    ])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 7 0 R] >> >> /AF [7 0 R] >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        stream(content, compress=True),
        stream(xml, b" /Type /EmbeddedFile /Subtype /text#2Fxml /Params << /Size " + str(len(xml)).encode() + b" >>", compress=True),
        b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data /Desc (Factur-X invoice) /EF << /F 6 0 R /UF 6 0 R >> >>",
        b"<< /Title (Invoice 2024-0099) /Producer (trackline sample generator) /CreationDate (D:20240930120000+02'00') >>",
    ]
    return pdf_bytes(objects, 8)


def scan_pdf():
    # A grey 8 x 8 picture is all the page shows: no text layer.
    pixels = bytes([200]) * 64
    content = b"q 500 0 0 700 48 70 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(content),
        stream(pixels, b" /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8"),
        b"<< /Title (Scanned receipt) /Producer (Scanner 3000) /CreationDate (D:20240315081500Z) >>",
    ]
    return pdf_bytes(objects, 6)


def png(width, height, rgb):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"".join(bytes(rgb(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def jpeg_with_orientation(jpeg, orientation):
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\x00\x00\x00\x00"
    app1 = b"Exif\x00\x00" + tiff
    segment = b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    return jpeg[:2] + segment + jpeg[2:]


def gif(width, height, palette, pixels):
    """A GIF89a of 2-bit palette indices, LZW-coded with a clear code before
    every two pixels so that codes stay 3 bits wide."""
    codes = []
    for i in range(0, len(pixels), 2):
        codes.append(4)
        codes.extend(pixels[i:i + 2])
    codes.append(5)
    bits, nbits, data = 0, 0, bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += 3
        while nbits >= 8:
            data.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        data.append(bits & 0xFF)
    blocks = b"".join(bytes([len(data[i:i + 255])]) + bytes(data[i:i + 255]) for i in range(0, len(data), 255))
    table = b"".join(bytes(c) for c in palette)
    screen = struct.pack("<HHBBB", width, height, 0xF1, 0, 0)
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return b"GIF89a" + screen + table + image + b"\x02" + blocks + b"\x00;"


GIF = gif(3, 2, [(255, 0, 0), (0, 160, 0), (0, 0, 255), (255, 255, 255)], [0, 1, 2, 3, 3, 0])
# A 1 x 1 lossless WebP.
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")


def zipped(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 2, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def main():
    write("Peppol_INV-2024-101.xml", PEPPOL)
    write("XRechnung_CreditNote_CN-2024-007.xml", CREDIT_NOTE)
    write("XRechnung_CII_2024-0815.xml", XRECHNUNG_CII)
    write("Factur-X_2024-0099.pdf", facturx_pdf())
    write("Facturae_A-2024-017_signed.xml", FACTURAE_322)
    write("Facturae_R-2024-003.xml", FACTURAE_321.encode("iso-8859-1"))
    write("CFDI40_F-1234.xml", CFDI40)
    write("CFDI33_NC-88.xml", CFDI33)
    write("FatturaPA_IT01234567890_00042.xml", FATTURAPA)
    write("Scan_2024-03.pdf", scan_pdf())
    with open(os.path.join(HERE, "Receipt_Photo.jpg"), "rb") as f:
        write("Receipt_Rotated.jpg", jpeg_with_orientation(f.read(), 6))
    write("Logo.png", png(4, 3, lambda x, y: (40 * x, 60 * y, 120)))
    write("Stamp.gif", GIF)
    write("Badge.webp", WEBP)
    write("orders.csv", "order_id;customer;amount;currency\n1001;Acme Trading AG;1234.56;EUR\n1002;\"Nordlicht; Supplies\";99.90;EUR\n1003;Atelier Lumière SARL;300.00;EUR\n")
    write("webhook.json", '{"event":"process.completed","process_id":"12346","documents":[98766,98767],"meta":{"retries":0,"ok":true}}\n')
    write("notes_utf16.txt", b"\xff\xfe" + "Nota: la factura 2024-017 incluye retención IRPF del 15 %.\r\n".encode("utf-16-le"))
    write("carta_latin1.txt", "Señores de Papelería Muñoz:\nadjuntamos la factura rectificativa R-2024-003.\n".encode("iso-8859-1"))
    inner = zipped([("CFDI40_F-1234.xml", CFDI40)])
    write("E-Invoices_2024.zip", zipped([
        ("invoices/Peppol_INV-2024-101.xml", PEPPOL),
        ("invoices/FatturaPA_IT01234567890_00042.xml", FATTURAPA),
        ("mexico.zip", inner),
        ("README.txt", "Invoices of 2024, one folder per country.\n"),
    ]))


if __name__ == "__main__":
    main()
