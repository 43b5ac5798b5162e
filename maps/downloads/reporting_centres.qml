<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling">
  <renderer-v2 type="categorizedSymbol" attr="kind" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="third_party_reporting_centre" symbol="0" label="third party reporting centre" render="true" />
      <category value="hate_crime_surgery" symbol="1" label="hate crime surgery" render="true" />
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle" />
            <Option name="color" type="QString" value="106,61,154,255" />
            <Option name="outline_color" type="QString" value="106,61,154,255" />
            <Option name="outline_width" type="QString" value="0.6" />
            <Option name="size" type="QString" value="4" />
            <Option name="size_unit" type="QString" value="MM" />
          </Option>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value="" />
              <Option name="properties" type="Map">
                <Option name="fillColor" type="Map">
                  <Option name="active" type="bool" value="true" />
                  <Option name="expression" type="QString" value="CASE WHEN &quot;approximate&quot; THEN '255,255,255,255' ELSE '106,61,154,255' END" />
                  <Option name="type" type="int" value="3" />
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection" />
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="square" />
            <Option name="color" type="QString" value="177,89,40,255" />
            <Option name="outline_color" type="QString" value="177,89,40,255" />
            <Option name="outline_width" type="QString" value="0.6" />
            <Option name="size" type="QString" value="4" />
            <Option name="size_unit" type="QString" value="MM" />
          </Option>
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value="" />
              <Option name="properties" type="Map">
                <Option name="fillColor" type="Map">
                  <Option name="active" type="bool" value="true" />
                  <Option name="expression" type="QString" value="CASE WHEN &quot;approximate&quot; THEN '255,255,255,255' ELSE '177,89,40,255' END" />
                  <Option name="type" type="int" value="3" />
                </Option>
              </Option>
              <Option name="type" type="QString" value="collection" />
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="name" fontSize="7" fontSizeUnit="Point" textColor="26,26,26,255" isExpression="0" fontWeight="50" namedStyle="Regular" />
      <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.8" />
      <placement placement="0" priority="5" />
      <rendering obstacle="1" scaleVisibility="0" />
    </settings>
  </labeling>
</qgis>
