//! What makes the file archivable and says what it conforms to: PDF 1.7, an sRGB
//! output intent (every colour is DeviceRGB), the document information and its XMP
//! copy (PDF/A-2a, ISO 19005-2, and PDF/UA-1, ISO 14289-1, identified there), the
//! language, and the title shown instead of the file name.

use lopdf::{Dictionary, Document, Object, Stream, text_string};

use super::Error;

/// sRGB, from Debian's icc-profiles-free (Zlib licence, `icc/LICENSE.txt`).
const SRGB: &[u8] = include_bytes!("../../icc/sRGB.icc");
const SRGB_NAME: &str = "sRGB IEC61966-2.1";

pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    /// BCP 47 tag.
    pub lang: &'a str,
    pub date: chrono::NaiveDate,
}

const CREATOR: &str = "Ferry";
const PRODUCER: &str = "Ferry (printpdf)";

pub fn write(lo: &mut Document, m: &Meta) -> Result<(), Error> {
    lo.version = "1.7".into();
    let stamp = m.date.format("%Y%m%d").to_string();
    let pdf_date = Object::string_literal(format!("D:{stamp}000000Z"));
    // Replaces printpdf's (an empty PDF/X version and the Unix epoch): every entry
    // here must match the XMP below.
    let info = lo.add_object(Dictionary::from_iter([
        ("Title", text_string(m.title)),
        ("Author", text_string(m.author)),
        ("Subject", text_string(m.subject)),
        ("Creator", text_string(CREATOR)),
        ("Producer", text_string(PRODUCER)),
        ("CreationDate", pdf_date.clone()),
        ("ModDate", pdf_date),
    ]));
    lo.trailer.set("Info", Object::Reference(info));

    // Metadata stays uncompressed, so that any tool can read it from the bytes.
    let xmp = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(m).into_bytes(),
    )
    .with_compression(false);
    let xmp = lo.add_object(xmp);
    let profile = lo.add_object(Stream::new(
        Dictionary::from_iter([("N", Object::Integer(3))]),
        SRGB.to_vec(),
    ));
    let intent = Dictionary::from_iter([
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", text_string(SRGB_NAME)),
        ("Info", text_string(SRGB_NAME)),
        ("DestOutputProfile", Object::Reference(profile)),
    ]);

    let catalog = lo.catalog_mut().map_err(Error::Pdf)?;
    catalog.set("Metadata", Object::Reference(xmp));
    catalog.set("OutputIntents", vec![Object::Dictionary(intent)]);
    catalog.set("Lang", text_string(m.lang));
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]),
    );
    // printpdf writes the page mode as a string; the format wants a name.
    if catalog.has(b"Outlines") {
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Ok(())
}

fn xmp(m: &Meta) -> String {
    let date = m.date.format("%Y-%m-%dT00:00:00Z");
    let (title, author, subject, lang) = (
        escape(m.title),
        escape(m.author),
        escape(m.subject),
        escape(m.lang),
    );
    // PDF/A-2 accepts only the schemas it lists unless the file describes the
    // others: pdfuaid is described in the extension schema below.
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}'
    )
}

/// Text as XML character data; control characters XML 1.0 cannot hold are dropped.
fn escape(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
